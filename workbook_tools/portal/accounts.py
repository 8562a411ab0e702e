"""The Sở's password: stored as an Argon2id hash (argon2-cffi, RFC 9106 parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from workbook_tools.errors import WorkbookToolsError

MIN_PASSWORD_LENGTH = 10

_HASHER = PasswordHasher()  # Argon2id, 64 MiB, 3 passes: argon2-cffi's RFC 9106 low-memory profile


class PasswordError(WorkbookToolsError):
    """A password that cannot be set (too short)."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(
            f"Mật khẩu quá ngắn ({len(password)} ký tự): cần ít nhất {MIN_PASSWORD_LENGTH} ký tự."
        )
    return _HASHER.hash(password)


def check_password(stored: str, password: str) -> bool:
    """True when ``password`` matches the stored hash; a damaged hash never matches."""
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
