"""Facets: counts of events, topics and years among the sessions a query finds.

One small class per kind of facet. Each holds, per value, a bitmask of the
sessions that have it (see :mod:`kb.bits`), so that narrowing is ``&`` and
counting is ``bit_count()``. A session has one event and there are many
events, so the event facet also counts through a per-document column, and
makes value objects only for the values a page lists: the ``LISTED`` with
most sessions, and the selected ones.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Iterable, Mapping, NamedTuple

import numpy as np

from kb.bits import bitmask, mask_array

if TYPE_CHECKING:
    from kb.engine import Reader

FACETS = ("event", "topic", "year")
LISTED = 40  # values of a facet an answer lists (a page shows 30 of them, the rest are counted)


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
        counted = {value: (matched & mask).bit_count() for value, mask in self.masks.items()}
        return {value: count for value, count in counted.items() if count}

    def count(self, matched: int, selected: Iterable[str] = (),
              limit: int | None = None) -> list[FacetValue]:
        """Values with their counts within ``matched``, in order, selected values always listed.

        With ``limit``, only that many values are listed (then the selected
        ones): see :meth:`counted` for how many had sessions.
        """
        return self.counted(matched, selected, limit)[0]

    def counted(self, matched: int, selected: Iterable[str] = (),
                limit: int | None = None) -> tuple[list[FacetValue], int]:
        """:meth:`count`, and how many values with sessions were left out by ``limit``."""
        selected = tuple(selected)
        counts = self.counts(matched)
        label = self.labels.get  # as label(): a value per facet value, on every search
        values = [FacetValue(value, label(value, value), counts.get(value, 0), value in selected)
                  for value in dict.fromkeys([*counts, *(v for v in selected if v in self.masks)])]
        values = self.ordered(values)
        if limit is None or len(values) <= limit:
            return values, 0
        listed = values[:limit] + [v for v in values[limit:] if v.selected]
        return listed, len(values) - len(listed)

    @staticmethod
    def ordered(values: list[FacetValue]) -> list[FacetValue]:
        """Most sessions first, then by label."""
        values.sort(key=lambda v: (-v.count, v.label))
        return values


class EventFacet(Facet):
    """The event of each session: one per session, held as a column of value numbers.

    A mask per event would be a big integer per event, each as long as the
    index (10,000 of 12.5 KB at 100k sessions); the column is 4 bytes a
    document and can be read from a memory-mapped file. Counting a thousand
    events by masks takes a thousand big-integer ANDs per search; by the
    column it takes one count.
    """

    name = "event"
    fieldname = "event_id"

    def __init__(self, values: list[str], number: np.ndarray,
                 labels: Mapping[str, str]) -> None:
        super().__init__({}, labels)
        self.values = list(values)
        self.numbers = {value: i for i, value in enumerate(self.values)}
        self.number = number  # per document its value's number, -1 for none
        self.size = len(number)

    @classmethod
    def of_docs(cls, docs: Mapping[str, np.ndarray], labels: Mapping[str, str],
                size: int) -> "EventFacet":
        """The facet of each value's documents."""
        number = np.full(size, -1, dtype=np.int32)
        for i, found in enumerate(docs.values()):
            number[found] = i
        return cls(list(docs), number, labels)

    @cached_property
    def _grouped(self) -> tuple[np.ndarray, np.ndarray]:
        """Documents grouped by value number (ascending within each), and where each group starts."""
        held = np.flatnonzero(self.number >= 0)
        order = held[np.argsort(self.number[held], kind="stable")]
        counts = np.bincount(self.number[held], minlength=len(self.values))
        return order, np.concatenate(([0], np.cumsum(counts)))

    def docs(self, value: str) -> np.ndarray:
        """The documents having ``value``, ascending."""
        i = self.numbers.get(value)
        if i is None:
            return np.empty(0, dtype=np.int64)
        order, starts = self._grouped
        return order[starts[i]:starts[i + 1]]

    def size_of(self, value: str) -> int:
        """How many documents have ``value``."""
        i = self.numbers.get(value)
        if i is None:
            return 0
        _, starts = self._grouped
        return int(starts[i + 1] - starts[i])

    def mask(self, value: str) -> int:
        return bitmask(self.docs(value))

    def selection(self, selected: Iterable[str], universe: int) -> int:
        selected = tuple(selected)
        if not selected:
            return universe
        return bitmask(np.concatenate([self.docs(v) for v in selected]))

    def counts(self, matched: int) -> dict[str, int]:
        counts = self._counts(matched)
        return {self.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}

    def _counts(self, matched: int) -> np.ndarray:
        numbers = self.number[mask_array(matched, self.size)]
        return np.bincount(numbers[numbers >= 0], minlength=len(self.values))

    @cached_property
    def _label_rank(self) -> np.ndarray:
        """Per value number, its place in the order of labels (ties of counts go by label)."""
        order = sorted(range(len(self.values)), key=lambda i: self.label(self.values[i]))
        rank = np.empty(len(self.values), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return rank

    def counted(self, matched: int, selected: Iterable[str] = (),
                limit: int | None = None) -> tuple[list[FacetValue], int]:
        # Thousands of events may have a hit: they are counted and ordered as
        # arrays, and only the listed ones become value objects.
        selected = tuple(selected)
        counts = self._counts(matched)
        found = np.flatnonzero(counts)
        order = found[np.lexsort((self._label_rank[found], -counts[found]))]
        listed = order if limit is None else order[:limit]
        label, names = self.labels.get, self.values
        values = [FacetValue(value, label(value, value), count, value in selected)
                  for value, count in zip([names[i] for i in listed.tolist()],
                                          counts[listed].tolist())]
        shown = {v.value for v in values}
        extra = [v for v in selected if v in self.numbers and v not in shown]
        if extra:
            values += [FacetValue(v, self.label(v), int(counts[self.numbers[v]]), True)
                       for v in extra]
            values = self.ordered(values)
        unlisted = len(found) - len(listed) - sum(1 for v in extra if counts[self.numbers[v]])
        return values, unlisted


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
