"""As-you-type suggestions: topics, events, session titles and indexed words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.analysis import normalize
from kb.engine import Reader
from kb.records import SessionRecord

if TYPE_CHECKING:
    from kb.generation import Generation

KINDS = ("topic", "event", "title", "term")


@dataclass(frozen=True)
class Suggestion:
    """One thing the reader may mean: its label, its kind and the id it stands for."""

    label: str
    kind: str  # one of KINDS
    id: str  # topic id, event id, session id, or the word itself

    def to_dict(self) -> dict:
        """The JSON form of a suggestion."""
        return {"label": self.label, "kind": self.kind, "id": self.id}


def names(reader: Reader, generation: "Generation") -> list[tuple[str, int, Suggestion]]:
    """Folded names of topics, events and sessions with a weight (computed once per generation)."""
    found = []
    topics = generation.facets["topic"]
    for topic_id, mask in topics.masks.items():
        label = topics.label(topic_id)
        found.append((normalize(label), mask.bit_count(), Suggestion(label, "topic", topic_id)))
    for event_id, record in generation.events.items():
        found.append((normalize(record.name), generation.session_count(event_id),
                      Suggestion(record.name, "event", event_id)))
    for docnum in generation.date_order:
        session = SessionRecord.from_stored(reader.stored(docnum)["record"])
        found.append((normalize(session.title), 0, Suggestion(session.title, "title", session.id)))
    return found


def suggest(reader: Reader, generation: "Generation", text: str, limit: int = 8) -> list[Suggestion]:
    """Suggestions for what a reader has typed so far, best first."""
    needle = " ".join(normalize(text or "").split())
    if not needle:
        return []
    found = []
    for name, weight, suggestion in generation.once("suggest", lambda: names(reader, generation)):
        at = name.find(needle)
        if at >= 0:
            found.append(((at != 0, KINDS.index(suggestion.kind), -weight, len(name)), suggestion))
    found.sort(key=lambda pair: pair[0])
    results = [s for _, s in found[:limit]]
    if len(results) < limit:
        seen = {normalize(s.label) for s in results}
        for word in words(reader, needle, limit - len(results)):
            if word not in seen:
                results.append(Suggestion(word, "term", word))
    return results


def words(reader: Reader, prefix: str, limit: int) -> list[str]:
    """Indexed title and body words starting with ``prefix``, most frequent first."""
    counts: dict[str, int] = {}
    for fieldname in ("title", "body"):
        for word in reader.expand_prefix(fieldname, prefix):
            if word != prefix:
                counts[word] = counts.get(word, 0) + reader.doc_frequency(fieldname, word)
            if len(counts) > 200:
                break
    return sorted(counts, key=lambda w: (-counts[w], w))[:limit]
