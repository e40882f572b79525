"""Facets: counts of events, topics and years among the sessions a query finds.

Each facet value holds a bitmask (a Python int, bit n for document n) of the
documents that have it, so counting is ``(matched & mask).bit_count()``.
"""

from dataclasses import dataclass

FACETS = ("event", "topic", "year")


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its count among the current results."""

    value: str
    label: str
    count: int
    selected: bool

    def to_dict(self):
        return {"value": self.value, "label": self.label, "count": self.count,
                "selected": self.selected}


def bitmask(docnums):
    """A bitmask with the bits of ``docnums`` set."""
    docnums = list(docnums)
    if not docnums:
        return 0
    bits = bytearray(max(docnums) // 8 + 1)
    for n in docnums:
        bits[n >> 3] |= 1 << (n & 7)
    return int.from_bytes(bits, "little")


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


def count_facet(masks, labels, matched, selected, order):
    """Facet values with their counts within ``matched``; selected values always shown."""
    values = []
    for value, mask in masks.items():
        count = (matched & mask).bit_count()
        if count or value in selected:
            values.append(FacetValue(value, labels.get(value, value), count, value in selected))
    if order == "value":
        values.sort(key=lambda v: v.value, reverse=True)
    else:
        values.sort(key=lambda v: (-v.count, v.label))
    return values
