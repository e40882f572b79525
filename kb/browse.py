"""Browsing the index: sessions, events, topics, years and related sessions.

Functions of a reader and a generation; the search service calls them under
its lock and answers the pages with what they return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.engine import Reader
from kb.engine import query as Q
from kb.facets import FacetValue
from kb.ranking import top_scored
from kb.records import KIND_SESSION, SessionRecord

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


def events(generation: "Generation") -> list[dict]:
    """Every event, newest first: its public record with its session count."""
    found = [{**record.to_public(), "session_count": generation.session_count(event_id)}
             for event_id, record in generation.events.items()]
    found.sort(key=lambda e: (e.get("date") or "", e["id"]), reverse=True)
    return found


def event(reader: Reader, generation: "Generation", event_id: str) -> dict | None:
    """An event's public record with its session records in order, or None."""
    record = generation.events.get(event_id)
    if record is None:
        return None
    sessions = [SessionRecord.from_stored(reader.stored(n)["record"])
                for n in generation.event_sessions(event_id)]
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
    record = SessionRecord.from_stored(reader.stored(docnum)["record"])
    text = "\n".join([record.title, record.text])
    terms = [Q.Term("body", word, boost=weight)
             for word, weight in reader.key_terms("body", text, KEY_TERMS)]
    terms += [Q.Term("topics", t.id, boost=TOPIC_BOOST) for t in record.topics]
    if not terms:
        return []
    others = generation.all & ~generation.facets["event"].mask(record.event_id)
    docs, scores = reader.matches(Q.Or(terms))
    return [SessionRecord.from_stored(reader.stored(n)["record"])
            for n, _ in top_scored(docs, scores, others, limit)]


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
