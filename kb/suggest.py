"""As-you-type suggestions: topics, events, session titles and indexed words."""

from dataclasses import dataclass

from kb.analysis import normalize

KINDS = ("topic", "event", "title", "term")


@dataclass(frozen=True)
class Suggestion:
    """One thing the reader may mean: its label, its kind and the id it stands for."""

    label: str
    kind: str  # one of KINDS
    id: str  # topic id, event id, session id, or the word itself

    def to_dict(self):
        return {"label": self.label, "kind": self.kind, "id": self.id}


class _Names:
    """Normalised names of one index generation, built once."""

    def __init__(self, searcher, snapshot):
        self.names = []
        for topic_id, mask in snapshot.masks["topic"].items():
            label = snapshot.labels["topic"].get(topic_id, topic_id)
            self.names.append((normalize(label), mask.bit_count(), Suggestion(label, "topic", topic_id)))
        for event_id, record in snapshot.events.items():
            count = snapshot.masks["event"].get(event_id, 0).bit_count()
            self.names.append((normalize(record["name"]), count,
                               Suggestion(record["name"], "event", event_id)))
        for docnum in snapshot.date_order:
            record = searcher.stored_fields(docnum)["record"]
            self.names.append((normalize(record["title"]), 0,
                               Suggestion(record["title"], "title", record["id"])))


def suggest(service, text, limit=8):
    """Suggestions for what a reader has typed so far, best first."""
    needle = " ".join(normalize(text or "").split())
    if not needle:
        return []
    with service.reading() as (searcher, snapshot):
        names = _names(service, searcher, snapshot)
        found = []
        for name, weight, suggestion in names.names:
            at = name.find(needle)
            if at >= 0:
                rank = (KINDS.index(suggestion.kind) if suggestion.kind != "title" else 2)
                found.append(((at != 0, rank, -weight, len(name)), suggestion))
        found.sort(key=lambda pair: pair[0])
        results = [s for _, s in found[:limit]]
        if len(results) < limit:
            seen = {normalize(s.label) for s in results}
            for word in _words(searcher, needle, limit - len(results)):
                if word not in seen:
                    results.append(Suggestion(word, "term", word))
        return results


def _names(service, searcher, snapshot):
    names = snapshot.memo.get("suggest")
    if names is None:
        names = snapshot.memo["suggest"] = _Names(searcher, snapshot)
    return names


def _words(searcher, prefix, limit):
    """Indexed title and body words starting with ``prefix``, most frequent first."""
    reader = searcher.reader()
    counts = {}
    for fieldname in ("title", "body"):
        for term in reader.expand_prefix(fieldname, prefix):
            word = term.decode("utf-8") if isinstance(term, bytes) else term
            if word != prefix:
                counts[word] = counts.get(word, 0) + reader.doc_frequency(fieldname, word)
            if len(counts) > 200:
                break
    return sorted(counts, key=lambda w: (-counts[w], w))[:limit]
