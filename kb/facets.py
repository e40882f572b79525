"""Facets: counts of events, topics and years among the sessions a query finds.

Each facet value holds a bitmask (a Python int, bit n for document n) of the
documents that have it, so counting is ``(matched & mask).bit_count()``.
"""

from typing import NamedTuple

import numpy as np

FACETS = ("event", "topic", "year")


class FacetValue(NamedTuple):
    """One value of a facet with its count among the current results.

    A named tuple: a search makes one per event it matches, a thousand at 10k
    sessions, and a frozen dataclass took three times as long to make.
    """

    value: str
    label: str
    count: int
    selected: bool

    def to_dict(self):
        return {"value": self.value, "label": self.label, "count": self.count,
                "selected": self.selected}


def bitmask(docnums):
    """A bitmask with the bits of ``docnums`` (an array or any iterable) set."""
    numbers = np.asarray(docnums if isinstance(docnums, np.ndarray) else list(docnums),
                         dtype=np.int64)
    if not len(numbers):
        return 0
    bits = np.zeros(int(numbers.max()) + 1, dtype=bool)
    bits[numbers] = True
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def docnums(mask):
    """The document numbers of a bitmask, ascending."""
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    return [i * 8 + b for i, byte in enumerate(data) if byte for b in range(8) if byte >> b & 1]


def selection_mask(masks, selected, universe):
    """Documents having any of the selected values (all documents when none is selected)."""
    if not selected:
        return universe
    result = 0
    for value in selected:
        result |= masks.get(value, 0)
    return result


def mask_array(mask, size):
    """A bitmask as a bool array of ``size`` documents."""
    data = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, bitorder="little", count=size).view(bool)


def in_mask(docs, mask):
    """Which of ``docs`` (an array) have their bit set in ``mask``."""
    if not len(docs):
        return np.zeros(0, dtype=bool)
    return mask_array(mask, max(int(docs.max()) + 1, mask.bit_length()))[docs]


class FacetColumn:
    """A facet with one value per document, as a value number per document.

    Counting a thousand events by masks takes a thousand big-integer ANDs
    per facet per search; by this column it takes one count over the matches.
    """

    def __init__(self, docs, size):
        """``docs`` maps each value to the numbers of the documents that have it."""
        self.values = list(docs)
        self.size = size
        self.number = np.full(size, -1, dtype=np.int32)
        for i, numbers in enumerate(docs.values()):
            self.number[numbers] = i

    def counts(self, matched):
        """Value -> count within ``matched``, for values counted at least once."""
        numbers = self.number[mask_array(matched, self.size)]
        counts = np.bincount(numbers[numbers >= 0], minlength=len(self.values))
        return {self.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}


def count_facet(masks, labels, matched, selected, order, column=None):
    """Facet values with their counts within ``matched``; selected values always shown.

    ``column``, a :class:`FacetColumn` of the same masks, counts faster.
    """
    if column is not None:
        counts = column.counts(matched)
        counted = [(value, counts.get(value, 0)) for value in
                   dict.fromkeys([*counts, *(v for v in selected if v in masks)])]
    else:
        counted = [(value, (matched & mask).bit_count()) for value, mask in masks.items()]
    values = []
    for value, count in counted:
        if count or value in selected:
            values.append(FacetValue(value, labels.get(value, value), count, value in selected))
    if order == "value":
        values.sort(key=lambda v: v.value, reverse=True)
    else:
        values.sort(key=lambda v: (-v.count, v.label))
    return values
