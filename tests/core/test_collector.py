"""The garbage collector's thresholds for bulk work: set while it runs, given back after."""

import gc

import pytest

from jaringan.core.collector import BULK_THRESHOLDS, bulk_collection


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_bulk_thresholds_hold_inside_the_block_and_the_earlier_ones_return(thresholds):
    with bulk_collection():
        assert gc.get_threshold() == BULK_THRESHOLDS
    assert gc.get_threshold() == (700, 10, 10)


def test_the_earlier_thresholds_return_when_the_block_fails(thresholds):
    with pytest.raises(ZeroDivisionError), bulk_collection():
        1 / 0  # noqa: B018
    assert gc.get_threshold() == (700, 10, 10)


def test_cycles_made_during_bulk_work_are_still_collected(thresholds):
    class Node:
        pass

    made = BULK_THRESHOLDS[0] * 3
    with bulk_collection():
        for _ in range(made):
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle only the collector can free
        alive = sum(1 for o in gc.get_objects() if isinstance(o, Node))
    # Young collections ran meanwhile and freed the cycles: at most the last threshold's worth is left.
    assert alive <= BULK_THRESHOLDS[0]
