"""What the index keeps of each session and event, as typed records.

The index stores each record as a plain dict (it is pickled with the
document); these frozen dataclasses are how the rest of kb reads them.
``to_public`` is the one place that decides what leaves kb (the CLI's JSON
and the web API): an allow-list, so that a field added for indexing never
leaks by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from kb.model import Image

# Documents of three kinds share one index, so that a commit switches all at once.
KIND_SESSION = "session"
KIND_EVENT = "event"
KIND_READINGS = "readings"  # how the kanji words of the notes read: see kb.vocabulary


@dataclass(frozen=True)
class TopicRef:
    """A topic as a record names it: its id and the label it had when indexed."""

    id: str
    label: str


@dataclass(frozen=True)
class History:
    """What the events' records say of the whole index's past, gathered when it is indexed."""

    former_sessions: Mapping[str, str]  # an id a session once had -> the id it has now
    former_events: Mapping[str, str]  # an id an event once had -> the id it has now
    last_changed: str | None  # when any session's notes last changed


@dataclass(frozen=True)
class SessionHistory:
    """What an event record remembers of one of its sessions across runs of ``kb index``.

    Times are UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (so that they sort as text).
    """

    indexed: str  # when kb first indexed the session
    changed: str  # when its notes last changed (added counts as changed)
    notes: str = ""  # a hash of its notes as written, to tell when they change
    origin: str = ""  # the id it was first indexed under, if not the one it has: its identity

    @classmethod
    def from_stored(cls, data: Any) -> "SessionHistory":
        """The history of its stored list."""
        indexed, changed, notes, origin = (list(data) + ["", "", "", ""])[:4]
        return cls(indexed or "", changed or indexed or "", notes or "", origin or "")

    def to_stored(self) -> list[str]:
        """The list the index stores."""
        return [self.indexed, self.changed, self.notes, self.origin]


@dataclass(frozen=True)
class SessionRecord:
    """One session as indexed: what pages show, and where it came from."""

    id: str
    slug: str
    event_id: str
    event_name: str
    title: str
    event_date: str | None = None
    event_url: str | None = None
    date: str | None = None
    speakers: tuple[str, ...] = ()
    url: str | None = None
    tags: tuple[str, ...] = ()
    body: str = ""  # Markdown
    text: str = ""  # plain text of the body, as indexed
    images: tuple[Image, ...] = ()
    position: int = 0
    topics: tuple[TopicRef, ...] = ()
    source: str = ""
    line: int = 0
    hash: str = ""
    words: bytes = b""  # word boundaries of ``text``: see kb.snippets
    indexed: str | None = None  # when kb first indexed the session (see SessionHistory)
    changed: str | None = None  # when its notes last changed
    origin: str = ""  # the id it was first indexed under

    PUBLIC = ("id", "slug", "event_id", "event_name", "event_date", "event_url", "title",
              "date", "speakers", "url", "tags", "body", "text", "images", "position", "topics",
              "indexed", "changed")

    @property
    def shown_date(self) -> str:
        """The session's date, else its event's, else ''."""
        return self.date or self.event_date or ""

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> "SessionRecord":
        """The record of a stored dict."""
        return cls(
            id=data["id"], slug=data["slug"], event_id=data["event_id"],
            event_name=data["event_name"], title=data["title"],
            event_date=data.get("event_date"), event_url=data.get("event_url"),
            date=data.get("date"), speakers=tuple(data.get("speakers") or ()),
            url=data.get("url"), tags=tuple(data.get("tags") or ()),
            body=data.get("body") or "", text=data.get("text") or "",
            images=tuple(Image(url, caption) for url, caption in data.get("images") or ()),
            position=data.get("position") or 0,
            topics=tuple(TopicRef(i, label) for i, label in data.get("topics") or ()),
            source=data.get("source") or "", line=data.get("line") or 0,
            hash=data.get("hash") or "", words=data.get("words") or b"",
            indexed=data.get("indexed"), changed=data.get("changed"),
            origin=data.get("origin") or data["id"],
        )

    def to_stored(self) -> dict[str, Any]:
        """The dict the index stores."""
        return {
            "id": self.id, "slug": self.slug, "event_id": self.event_id,
            "event_name": self.event_name, "event_date": self.event_date,
            "event_url": self.event_url, "title": self.title, "date": self.date,
            "speakers": list(self.speakers), "url": self.url, "tags": list(self.tags),
            "body": self.body, "text": self.text,
            "images": [[i.url, i.caption] for i in self.images], "position": self.position,
            "source": self.source, "line": self.line, "hash": self.hash,
            "topics": [[t.id, t.label] for t in self.topics], "words": self.words,
            "indexed": self.indexed, "changed": self.changed, "origin": self.origin,
        }

    def to_public(self) -> dict[str, Any]:
        """What the CLI's JSON and the web API show of a session."""
        stored = self.to_stored()
        return {name: stored[name] for name in self.PUBLIC}


@dataclass(frozen=True)
class EventRecord:
    """One event (one note file) as indexed, with what the next run compares against."""

    id: str
    name: str
    date: str | None = None
    end_date: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    intro: str = ""  # Markdown
    author: str | None = None
    topics: Mapping[str, str] = field(default_factory=dict)  # topic id -> label, from tags
    event_topics: tuple[TopicRef, ...] = ()  # the topics of the event's own tags
    source: str = ""
    signature: tuple = ()  # what tells, without reading, that the file has not changed
    digest: str = ""
    taxonomy: str = ""
    sessions: Mapping[str, str] = field(default_factory=dict)  # session id -> hash, in order
    katakana: Mapping[str, int] = field(default_factory=dict)  # katakana runs -> sessions
    abbreviations: Mapping[str, list] = field(default_factory=dict)  # defined in the notes
    history: Mapping[str, SessionHistory] = field(default_factory=dict)  # by current session id
    former: Mapping[str, str] = field(default_factory=dict)  # former session id -> current id
    former_ids: tuple[str, ...] = ()  # ids the event had before

    PUBLIC = ("id", "name", "date", "end_date", "url", "tags", "intro", "author", "topics",
              "event_topics")

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> "EventRecord":
        """The record of a stored dict."""
        return cls(
            id=data["id"], name=data["name"], date=data.get("date"),
            end_date=data.get("end_date"), url=data.get("url"),
            tags=tuple(data.get("tags") or ()), intro=data.get("intro") or "",
            author=data.get("author"), topics=dict(data.get("topics") or {}),
            event_topics=tuple(TopicRef(i, label) for i, label in data.get("event_topics") or ()),
            source=data.get("source") or "", signature=tuple(data.get("signature") or ()),
            digest=data.get("digest") or "", taxonomy=data.get("taxonomy") or "",
            sessions=dict(data.get("sessions") or {}), katakana=dict(data.get("katakana") or {}),
            abbreviations=dict(data.get("abbreviations") or {}),
            history={i: SessionHistory.from_stored(h)
                     for i, h in (data.get("history") or {}).items()},
            former=dict(data.get("former") or {}),
            former_ids=tuple(data.get("former_ids") or ()),
        )

    def to_stored(self) -> dict[str, Any]:
        """The dict the index stores."""
        return {
            "id": self.id, "name": self.name, "date": self.date, "end_date": self.end_date,
            "url": self.url, "tags": list(self.tags), "intro": self.intro,
            "author": self.author, "source": self.source, "topics": dict(self.topics),
            "event_topics": [[t.id, t.label] for t in self.event_topics],
            "sessions": dict(self.sessions), "katakana": dict(self.katakana),
            "abbreviations": dict(self.abbreviations),
            "signature": list(self.signature), "digest": self.digest, "taxonomy": self.taxonomy,
            "history": {i: h.to_stored() for i, h in self.history.items()},
            "former": dict(self.former), "former_ids": list(self.former_ids),
        }

    def to_public(self) -> dict[str, Any]:
        """What the CLI's JSON and the web API show of an event."""
        stored = self.to_stored()
        return {name: stored[name] for name in self.PUBLIC}
