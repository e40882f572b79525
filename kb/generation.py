"""One generation of the index, as the search service sees it: computed once, then read.

Whatever only changes when the index does lives here: the event records,
the facets with their masks, the sessions in date order, the recency
tie-breaker, and the one bounded cache of what searches of this generation
computed. A :class:`Generation` never changes after it is built, so threads
and pages read it without a lock.
"""

from __future__ import annotations

import threading
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

import numpy as np

from kb.analysis import normalize
from kb.bits import bitmask, docnums
from kb.cache import Memo
from kb.facets import FACETS, EventFacet, Facet, TopicFacet, YearFacet, masks_of
from kb.records import KIND_EVENT, KIND_SESSION, EventRecord

if TYPE_CHECKING:
    from kb.engine import Reader
    from kb.taxonomy import Taxonomy


@dataclass(frozen=True, eq=False)
class Generation:
    """What one generation of the index lets kb compute once."""

    key: tuple[str, int]
    events: Mapping[str, EventRecord]
    all: int  # mask of every session
    facets: Mapping[str, Facet]
    date_order: tuple[int, ...]  # sessions newest first
    tiebreak: np.ndarray  # per document: higher for newer sessions (relevance ties)
    event_names: Mapping[str, str]  # folded event name -> event id
    memo: Memo
    _lazy: dict = field(default_factory=dict, repr=False, compare=False)
    _lock: Any = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def build(cls, reader: "Reader", taxonomy: "Taxonomy", cache_size: int) -> "Generation":
        """Read what one generation of the index holds, through ``reader``."""
        events = {doc["record"]["id"]: EventRecord.from_stored(doc["record"])
                  for doc in reader.documents(KIND_EVENT)}
        sessions = reader.docnums(KIND_SESSION)
        every = bitmask(sessions)
        topic_labels = {t.id: t.label for t in taxonomy.topics}
        for record in events.values():
            for topic_id, label in record.topics.items():
                topic_labels.setdefault(topic_id, label)
        facets = {
            "event": EventFacet(masks_of(reader, "event_id", every),
                                {i: e.name for i, e in events.items()}, reader.doc_count),
            "topic": TopicFacet({v: m for v, (m, _) in masks_of(reader, "topics", every).items()},
                                topic_labels),
            "year": YearFacet({v: m for v, (m, _) in masks_of(reader, "year", every).items()}, {}),
        }
        dates = reader.column("date")
        positions = reader.column("position")
        order = sorted(sessions, key=lambda n: (dates[n] or "", -positions[n]), reverse=True)
        # newer sessions win ties in relevance: rank by date, newest highest
        rank = array("l", bytes(8 * (reader.doc_count + 1)))
        for r, n in enumerate(reversed(order)):
            rank[n] = r
        return cls(
            key=reader.generation, events=events, all=every, facets=facets,
            date_order=tuple(order), tiebreak=np.asarray(rank, dtype=np.int64),
            event_names={normalize(e.name): i for i, e in events.items()},
            memo=Memo(cache_size),
        )

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Generation) and self.key == other.key

    # -- lookups ---------------------------------------------------------------

    def resolve_event(self, value: str) -> str | None:
        """An event id from an id or an exact name (any case or width), or None."""
        value = str(value).strip()
        if value in self.events:
            return value
        return self.event_names.get(normalize(value))

    def resolve_topic(self, value: str, taxonomy: "Taxonomy") -> str | None:
        """A topic id from an id, label or alias (any case or width), or None."""
        topic = taxonomy.find(value)
        if topic:
            return topic.id
        folded = normalize(str(value)).strip()
        for topic_id, label in self.facets["topic"].labels.items():
            if folded in (topic_id, normalize(label)):
                return topic_id
        return None

    def topic_label(self, topic_id: str) -> str:
        """How a topic is shown."""
        return self.facets["topic"].label(topic_id)

    def session_count(self, event_id: str) -> int:
        """How many sessions an event has."""
        return self.facets["event"].mask(event_id).bit_count()

    def event_sessions(self, event_id: str) -> list[int]:
        """The document numbers of an event's sessions."""
        return docnums(self.facets["event"].mask(event_id))

    def selections(self, selected: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
        """Per facet, the sessions within what is selected of it."""
        return {name: self.facets[name].selection(selected.get(name, ()), self.all)
                for name in FACETS}

    def once(self, name: str, compute: Callable[[], Any]) -> Any:
        """A value computed once for this generation (threads asking at once wait for one)."""
        found = self._lazy.get(name)
        if found is None:
            with self._lock:
                found = self._lazy.get(name)
                if found is None:
                    found = self._lazy[name] = compute()
        return found
