"""URLs of kb things, and the view objects templates show; templates compute nothing."""

from dataclasses import dataclass

from flask import url_for
from markupsafe import escape

from kb.web.render import excerpt, safe_snippet, safe_url


def session_url(session_id, **options):
    """The permalink of a session id ``<event-id>/<slug>``."""
    event_id, _, slug = session_id.partition("/")
    return url_for("pages.session", event_id=event_id, slug=slug, **options)


def topic_url(topic_id, **options):
    return url_for("pages.topic", topic_id=topic_id, **options)


def event_url(event_id, **options):
    return url_for("pages.event", event_id=event_id, **options)


def outside_url(url):
    """A link to another site taken from the notes, or None when it is not a safe one."""
    return url if url and safe_url(url) else None


def date_range(start, end=None):
    """``2020-06-17`` or ``2020-06-17 – 2020-06-30``; empty without a date."""
    if not start:
        return ""
    return f"{start} – {end}" if end and end != start else start


@dataclass(frozen=True)
class Link:
    """Something to link to: a label and a URL, with a count where it has one."""

    label: str
    url: str
    count: int | None = None


@dataclass(frozen=True)
class Hit:
    """A session in a list: what it is, where it was, and where to read it."""

    id: str
    title: str
    url: str
    event: Link
    date: str
    topics: tuple
    snippet: str  # Markup: escaped text with <mark> around matches
    source_url: str | None
    speakers: str


def topic_links(pairs):
    """Links to topic pages from (id, label) pairs."""
    return tuple(Link(label, topic_url(topic_id)) for topic_id, label in pairs)


def event_topic_links(event_id, pairs, sessions):
    """The topics an event is tagged with, each with how many of its sessions take it.

    A topic links to the event's sessions under it; one that none of them takes
    (a tag such as "mixed") is shown without a link.
    """
    links = []
    for topic_id, label in pairs:
        count = sum(1 for s in sessions if any(t == topic_id for t, _ in s["topics"]))
        url = url_for("pages.search", event=event_id, topic=topic_id) if count else ""
        links.append(Link(label, url, count))
    return tuple(links)


def hit_from_result(result):
    """A Hit from one search result of the service."""
    return Hit(
        id=result["id"], title=result["title"], url=session_url(result["id"]),
        event=Link(result["event"]["name"], event_url(result["event"]["id"])),
        date=result["date"] or result["event"]["date"] or "",
        topics=topic_links((t["id"], t["label"]) for t in result["topics"]),
        snippet=safe_snippet(result["snippet"]), source_url=outside_url(result["url"]),
        speakers="、".join(result["speakers"]),
    )


def hit_from_record(record):
    """A Hit from a stored session record, its snippet the start of its text."""
    return Hit(
        id=record["id"], title=record["title"], url=session_url(record["id"]),
        event=Link(record["event_name"], event_url(record["event_id"])),
        date=record["date"] or record["event_date"] or "",
        topics=topic_links(record["topics"]), snippet=escape(excerpt(record["text"])),
        source_url=outside_url(record["url"] or record["event_url"]), speakers="、".join(record["speakers"]),
    )


@dataclass(frozen=True)
class Meta:
    """What a page says about itself to browsers and to blog cards (Open Graph)."""

    title: str
    description: str = ""
    url: str = ""
    type: str = "website"
    feed_url: str | None = None
    feed_title: str | None = None
