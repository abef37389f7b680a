"""The servers' start-up objects are kept out of Python's full collections, and nothing else
changes: what is created afterwards is collected as before."""

from __future__ import annotations

import gc
import weakref

from bot import heap


class _Node:
    pass


def test_start_up_objects_are_left_out_of_full_collections_and_later_garbage_is_collected():
    start_up = [{"slot": index} for index in range(2_000)]  # objects a collection would visit
    cycle = _Node()
    cycle.itself = cycle  # start-up's garbage: a cycle nothing refers to any more
    gone = weakref.ref(cycle)
    del cycle
    try:
        frozen = heap.freeze_start_up()
        assert gone() is None  # collected before the freeze, not kept for ever
        assert frozen >= len(start_up)
        visited = {id(obj) for obj in gc.get_objects()}  # what a full collection visits
        assert not any(id(obj) in visited for obj in start_up)
        assert id(start_up) not in visited

        later = _Node()
        later.itself = later
        later_gone = weakref.ref(later)
        del later
        gc.collect()
        assert later_gone() is None  # a cycle made after start-up is collected as before
        assert start_up[1_999] == {"slot": 1_999}
    finally:
        gc.unfreeze()
