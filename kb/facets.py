"""Facets: counts of events, topics and years among the sessions a query finds.

One small class per kind of facet. Each holds, per value, a bitmask of the
sessions that have it (see :mod:`kb.bits`), so that narrowing is ``&`` and
counting is ``bit_count()``. A session has one event and there are many
events, so the event facet also counts through a per-document column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping, NamedTuple

import numpy as np

from kb.bits import bitmask, mask_array

if TYPE_CHECKING:
    from kb.engine import Reader

FACETS = ("event", "topic", "year")


class FacetValue(NamedTuple):
    """One value of a facet with its count among the current results.

    A named tuple: a search makes one per event it matches, a thousand at 10k
    sessions, and a frozen dataclass took three times as long to make.
    """

    value: str
    label: str
    count: int  # type: ignore[assignment]  # a field, where tuples have a method
    selected: bool

    def to_dict(self) -> dict:
        """The JSON form of a facet value."""
        return {"value": self.value, "label": self.label, "count": self.count,
                "selected": self.selected}


def masks_of(reader: "Reader", fieldname: str, universe: int) -> dict[str, tuple[int, np.ndarray]]:
    """Each term of a field with the mask and document numbers of the sessions holding it."""
    found = {}
    for value in reader.lexicon(fieldname):
        docs = reader.docs_with(fieldname, value)
        mask = bitmask(docs) & universe
        if mask:
            found[value] = (mask, docs)
    return found


class Facet:
    """A facet whose values are terms of one field of the sessions."""

    name = ""
    fieldname = ""

    def __init__(self, masks: Mapping[str, int], labels: Mapping[str, str]) -> None:
        self.masks = dict(masks)
        self.labels = dict(labels)

    def label(self, value: str) -> str:
        """How a value is shown."""
        return self.labels.get(value, value)

    def mask(self, value: str) -> int:
        """The sessions having ``value``."""
        return self.masks.get(value, 0)

    def selection(self, selected: Iterable[str], universe: int) -> int:
        """Sessions having any of the selected values (``universe`` when none is selected)."""
        selected = tuple(selected)
        if not selected:
            return universe
        result = 0
        for value in selected:
            result |= self.masks.get(value, 0)
        return result

    def counts(self, matched: int) -> dict[str, int]:
        """Value -> count within ``matched``, for values counted at least once."""
        found = {}
        for value, mask in self.masks.items():
            count = (matched & mask).bit_count()
            if count:
                found[value] = count
        return found

    def count(self, matched: int, selected: Iterable[str] = ()) -> list[FacetValue]:
        """Values with their counts within ``matched``, selected values always shown."""
        selected = tuple(selected)
        counts = self.counts(matched)
        values = [FacetValue(value, self.label(value), counts.get(value, 0), value in selected)
                  for value in dict.fromkeys([*counts, *(v for v in selected if v in self.masks)])]
        return self.ordered(values)

    @staticmethod
    def ordered(values: list[FacetValue]) -> list[FacetValue]:
        """Most sessions first, then by label."""
        values.sort(key=lambda v: (-v.count, v.label))
        return values


class EventFacet(Facet):
    """The event of each session: one per session, counted through a column."""

    name = "event"
    fieldname = "event_id"

    def __init__(self, docs: Mapping[str, tuple[int, np.ndarray]], labels: Mapping[str, str],
                 size: int) -> None:
        super().__init__({value: mask for value, (mask, _) in docs.items()}, labels)
        # Counting a thousand events by masks takes a thousand big-integer ANDs
        # per search; by a column of value numbers it takes one count.
        self.values = list(docs)
        self.size = size
        self.number = np.full(size, -1, dtype=np.int32)
        for i, (_, numbers) in enumerate(docs.values()):
            self.number[numbers] = i

    def counts(self, matched: int) -> dict[str, int]:
        numbers = self.number[mask_array(matched, self.size)]
        counts = np.bincount(numbers[numbers >= 0], minlength=len(self.values))
        return {self.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}


class TopicFacet(Facet):
    """The topics of each session: a list per session."""

    name = "topic"
    fieldname = "topics"


class YearFacet(Facet):
    """The year of each session's date."""

    name = "year"
    fieldname = "year"

    @staticmethod
    def ordered(values: list[FacetValue]) -> list[FacetValue]:
        """Newest year first."""
        values.sort(key=lambda v: v.value, reverse=True)
        return values
