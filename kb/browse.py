"""Browsing the index: sessions, events, topics, years and related sessions.

Functions of a reader and a generation; the search service calls them under
its lock and answers the pages with what they return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping, Sequence

import numpy as np

from kb.engine import Reader
from kb.engine import query as Q
from kb.facets import FacetValue
from kb.keyterms import decode
from kb.ranking import top_scored
from kb.records import KIND_SESSION, EventRecord, History, SessionRecord

if TYPE_CHECKING:
    from kb.generation import Generation

KEY_TERMS = 10  # the words of a session that say what it is about, for related sessions
TOPIC_BOOST = 2.0


def session(reader: Reader, session_id: str) -> SessionRecord | None:
    """The record of a session, or None."""
    doc = reader.document(session_id)
    if not doc or doc.get("kind") != KIND_SESSION:
        return None
    return SessionRecord.from_stored(doc["record"])


def renamed_session(generation: "Generation", session_id: str) -> str | None:
    """The id a session has now that was once ``session_id``, or None (see kb.indexer.history)."""
    return generation.history.former_sessions.get(session_id)


def renamed_event(generation: "Generation", event_id: str) -> str | None:
    """The id an event has now that was once ``event_id``, or None."""
    return generation.history.former_events.get(event_id)


def history(events: Mapping[str, EventRecord], positions: Sequence[int],
            sessions_of: Callable[[str], list[int]], date_order: np.ndarray,
            tiebreak: np.ndarray) -> tuple[np.ndarray, History]:
    """The sessions in the order they changed, and what the events' history says.

    Computed when the notes are indexed (it reads every event's record).
    """
    changed = dict.fromkeys(date_order.tolist(), "")  # no history: last
    current = set()
    for event_id, record in events.items():
        ids = list(record.sessions)  # in the order of the sessions' positions
        current.update(ids)
        for docnum in sessions_of(event_id):
            at = positions[docnum]
            found = record.history.get(ids[at]) if 0 <= at < len(ids) else None
            changed[docnum] = found.changed if found else ""
    order = np.asarray(sorted(changed, key=lambda n: (changed[n], tiebreak[n]), reverse=True),
                       dtype=np.int64)
    # an id in use now is that session's (or event's), whoever had it before
    sessions = {old: new for record in events.values()
                for old, new in record.former.items() if new in record.sessions and old not in current}
    renamed = {old: event_id for event_id, record in events.items()
               for old in record.former_ids if old not in events}
    last = max((h.changed for record in events.values() for h in record.history.values()),
               default=None)
    return order, History(sessions, renamed, last)


def events(generation: "Generation", limit: int | None = None) -> list[dict]:
    """The newest ``limit`` events (all by default): public records with session counts."""
    if limit is None:  # every record read: once per generation, when first listed
        return generation.once("event list", lambda: _events(generation, generation.event_order))
    return _events(generation, generation.event_order[:limit])


def _events(generation: "Generation", ids: Sequence[str]) -> list[dict]:
    return [{**generation.events[event_id].to_public(),
             "session_count": generation.session_count(event_id)} for event_id in ids]


def event(reader: Reader, generation: "Generation", event_id: str) -> dict | None:
    """An event's public record with its session records in order, or None."""
    record = generation.events.get(event_id)
    if record is None:
        return None
    sessions = [generation.record(reader, n) for n in generation.event_sessions(event_id)]
    sessions.sort(key=lambda s: s.position)
    return {**record.to_public(), "sessions": sessions, "session_count": len(sessions)}


def topics(generation: "Generation") -> list[FacetValue]:
    """Every topic with at least one session, most sessions first."""
    return generation.facets["topic"].count(generation.all)


def neighbours(generation: "Generation", session_id: str) -> tuple[str | None, str | None]:
    """The ids of the sessions before and after a session in its event."""
    event_id = session_id.partition("/")[0]
    record = generation.events.get(event_id)
    order = list(record.sessions) if record else []
    if session_id not in order:
        return None, None
    at = order.index(session_id)
    return (order[at - 1] if at > 0 else None,
            order[at + 1] if at + 1 < len(order) else None)


def related(reader: Reader, generation: "Generation", session_id: str,
            limit: int = 5) -> list[SessionRecord]:
    """Up to ``limit`` sessions of other events that share a session's key words and topics."""
    docnum = reader.docnum(session_id)
    if docnum is None or not generation.all >> docnum & 1:
        return []
    record = generation.record(reader, docnum)
    # the session's words were weighed when it was indexed (see kb.keyterms)
    weights = decode(reader.column_value("terms", docnum))
    terms = [Q.Term("body", word, boost=weight)
             for word, weight in reader.key_terms("body", "", KEY_TERMS, weights)]
    terms += [Q.Term("topics", t.id, boost=TOPIC_BOOST) for t in record.topics]
    if not terms:
        return []
    others = generation.all & ~generation.facets["event"].mask(record.event_id)
    docs, scores = reader.matches(Q.Or(terms))
    return [generation.record(reader, n) for n, _ in top_scored(docs, scores, others, limit)]


def sessions_per_year(generation: "Generation", topic_id: str | None = None) -> list[tuple[str, int]]:
    """(year, count) pairs in ascending years, the empty years in between filled with 0."""
    sessions = generation.facets["topic"].selection((topic_id,) if topic_id else (),
                                                    generation.all)
    counts = {year: n for year, mask in generation.facets["year"].masks.items()
              if year.isdigit() and (n := (mask & sessions).bit_count())}
    if not counts:
        return []
    first, last = int(min(counts)), int(max(counts))
    return [(str(year), counts.get(str(year), 0)) for year in range(first, last + 1)]
