"""The event/session model shared by the indexer, the search service and the web."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Image:
    """An image in a session's notes, with the caption written under it."""

    url: str
    caption: str = ""


@dataclass(frozen=True)
class Session:
    """One talk of an event: a ``##`` heading of a note and what follows it."""

    id: str  # "<event id>/<slug>"
    slug: str
    event_id: str
    title: str
    body: str  # the session's notes, Markdown
    position: int  # 0-based order within the event
    date: str | None = None  # YYYY-MM-DD
    speakers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    url: str | None = None
    images: tuple[Image, ...] = ()
    line: int = 0  # line of the heading in the source
    text: str = ""  # the notes as plain text (what is indexed and quoted in snippets)


@dataclass(frozen=True)
class Event:
    """A conference or meetup: one note file, its intro and its sessions."""

    id: str
    name: str
    date: str | None = None
    end_date: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    intro: str = ""  # Markdown before the first session heading
    author: str | None = None
    draft: bool = False
    source: str = ""
    sessions: tuple[Session, ...] = field(default=())
    intro_text: str = ""  # the intro as plain text

    @property
    def year(self) -> str | None:
        """The year of the start date, as a string, or None."""
        return self.date[:4] if self.date else None
