"""As-you-type suggestions: topics, events, session titles and indexed words."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from kb.analysis import normalize
from kb.engine import Reader

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


class StringTable:
    """Strings joined into one, with where each starts: few objects, searched with str.find."""

    def __init__(self, strings: list[str], sep: str = "\n"):
        self.joined = sep.join(strings)
        starts = np.zeros(len(strings) + 1, dtype=np.int64)
        np.cumsum([len(t) + len(sep) for t in strings], out=starts[1:])
        self.starts = starts

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i: int) -> str:
        return self.joined[self.starts[i]:self.starts[i + 1] - 1]

    def find(self, needle: str) -> Iterator[tuple[int, int]]:
        """(string number, offset in it) of each string holding ``needle`` (first offset only)."""
        at = self.joined.find(needle)
        while at >= 0:
            i = int(np.searchsorted(self.starts, at, side="right")) - 1
            yield i, at - int(self.starts[i])
            at = self.joined.find(needle, int(self.starts[i + 1]))


@dataclass(frozen=True)
class Titles:
    """Every session's title, newest first: as shown, folded for matching, and its session id.

    Kept in an index generation's snapshot: reading 100,000 records for their
    titles took seconds, and a list of 100,000 tuples copied into every process.
    """

    folded: StringTable
    shown: StringTable
    ids: StringTable

    @classmethod
    def of(cls, reader: Reader, order: Iterable[int]) -> "Titles":
        """The titles of the sessions numbered ``order``, in that order."""
        shown, ids = [], []
        for n in order:  # one record at a time: 100,000 of them, notes and all, are gigabytes
            record = reader.stored(n)["record"]
            shown.append(" ".join(record["title"].split()))  # a title is one line
            ids.append(record["id"])
        return cls(StringTable([normalize(t) for t in shown]), StringTable(shown),
                   StringTable(ids))

    def matching(self, needle: str, limit: int) -> list[tuple[tuple, Suggestion]]:
        """Up to ``limit`` titles holding ``needle``: (sort key, suggestion), best first."""
        found = heapq.nsmallest(limit, ((at != 0, len(self.folded[i]) if at else 0, i)
                                        for i, at in self.folded.find(needle)))
        return [((at, KINDS.index("title"), 0, size, i),
                 Suggestion(self.shown[i], "title", self.ids[i])) for at, size, i in found]


def names(generation: "Generation") -> list[tuple[str, int, Suggestion]]:
    """Folded names of topics and events with a weight (computed once per generation)."""
    found = []
    topics = generation.facets["topic"]
    for topic_id, mask in topics.masks.items():
        label = topics.label(topic_id)
        found.append((normalize(label), mask.bit_count(), Suggestion(label, "topic", topic_id)))
    for event_id, name in generation.facets["event"].labels.items():
        found.append((normalize(name), generation.session_count(event_id),
                      Suggestion(name, "event", event_id)))
    return found


def suggest(reader: Reader, generation: "Generation", text: str, limit: int = 8) -> list[Suggestion]:
    """Suggestions for what a reader has typed so far, best first."""
    needle = " ".join(normalize(text or "").split())
    if not needle:
        return []
    found = []
    for name, weight, suggestion in generation.once("suggest", lambda: names(generation)):
        at = name.find(needle)
        if at >= 0:
            found.append(((at != 0, KINDS.index(suggestion.kind), -weight, len(name), 0),
                          suggestion))
    titles = generation.once("titles", lambda: generation.kept("titles"))
    found += titles.matching(needle, limit)
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
