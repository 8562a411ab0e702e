"""A value computed once per object, found again by the object's identity.

For unhashable objects that live long and are used often (a form's expression
nodes, the code map every file of a form shares), where hashing them by value
would cost as much as the computation. The object is kept with its value, so its
``id`` cannot be reused by another object while the entry stands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ByIdentity(Generic[K, V]):
    """``compute(key)``, remembered for up to ``size`` keys (then forgotten all at once)."""

    def __init__(self, compute: Callable[[K], V], size: int) -> None:
        self._compute = compute
        self._size = size
        self._entries: dict[int, tuple[K, V]] = {}

    def __call__(self, key: K) -> V:
        hit = self._entries.get(id(key))
        if hit is not None and hit[0] is key:
            return hit[1]
        value = self._compute(key)
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[id(key)] = (key, value)
        return value
