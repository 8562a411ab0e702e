"""``collector_paused``: the garbage collector is back as it was, however the block ends."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from workbook_tools.bulk import collector_paused


@pytest.fixture
def collector_state() -> Iterator[None]:
    was_on = gc.isenabled()
    yield
    if was_on:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector_state")
def test_the_collector_is_paused_in_the_block_and_back_after_it() -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested, as a comparison's consolidation is
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block did not switch it on under the outer one
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_state")
def test_the_collector_is_back_after_an_error() -> None:
    gc.enable()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_state")
def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
