"""Facets counted over masks and columns: what is listed and what is only counted."""

import numpy as np

from kb.bits import bitmask
from kb.facets import EventFacet, TopicFacet


def event_facet(sessions_per_event):
    """An event facet over consecutive documents: event e<i> holds the given number of them."""
    docs, at = {}, 0
    for i, n in enumerate(sessions_per_event):
        docs[f"e{i}"] = np.arange(at, at + n)
        at += n
    labels = {f"e{i}": f"Event {chr(ord('Z') - i)}" for i in range(len(sessions_per_event))}
    return EventFacet.of_docs(docs, labels, at), (1 << at) - 1


def test_events_are_listed_by_count_then_label_and_the_rest_only_counted():
    facet, everything = event_facet([1, 3, 2, 1, 1])
    values, unlisted = facet.counted(everything, limit=3)
    assert [(v.value, v.count) for v in values] == [("e1", 3), ("e2", 2), ("e4", 1)]
    assert unlisted == 2  # e0 and e3 have sessions too
    assert facet.count(everything) == facet.counted(everything)[0]
    assert [v.value for v in facet.count(everything)] == ["e1", "e2", "e4", "e3", "e0"]


def test_a_selected_event_is_listed_even_beyond_the_limit_or_without_sessions():
    facet, everything = event_facet([3, 2, 1, 1])
    only_first_two = (1 << 5) - 1
    values, unlisted = facet.counted(only_first_two, selected=("e3",), limit=1)
    assert [(v.value, v.count, v.selected) for v in values] == [("e0", 3, False),
                                                                ("e3", 0, True)]
    assert unlisted == 1  # e1
    values, unlisted = facet.counted(everything, selected=("e2",), limit=1)
    assert [v.value for v in values] == ["e0", "e2"] and unlisted == 2


def test_events_agree_with_counting_by_masks():
    facet, everything = event_facet([2, 5, 1, 4, 4])
    matched = bitmask([0, 3, 4, 8, 9, 12, 14])
    by_masks = TopicFacet({v: facet.mask(v) for v in facet.values}, facet.labels).count(matched)
    assert facet.count(matched) == by_masks
    assert facet.docs("e3").tolist() == [8, 9, 10, 11] and facet.size_of("e3") == 4
    assert facet.mask("e1") == bitmask(range(2, 7)) and facet.size_of("nothing") == 0
    assert facet.selection(("e0", "e2"), everything) == bitmask([0, 1, 7])
