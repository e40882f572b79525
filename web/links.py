"""URLs of kb things, and the view objects templates show; templates compute nothing."""

from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, Callable, NamedTuple
from urllib.parse import urlencode, urljoin, urlsplit

from flask import current_app, has_request_context, redirect, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import escape

from kb.web.render import excerpt, safe_snippet, safe_url

# Paths built by path_for that each worker remembers (sessions', events', topics', the
# assets'): about 2.5 MB at most; 89 % of a search page's paths at 10k sessions
PATHS_KEPT = 4096
CUT_PATHS_KEPT = 64  # a few endpoints under a few script roots
URL_FOR_OPTIONS = frozenset({"_anchor", "_method", "_scheme", "_external"})  # request-dependent


def _build_path(root, endpoint, values) -> str:
    """url_for of ``endpoint`` with ``values`` (pairs); ``root``, the script root, keys the cache.

    Values that all go into the rule's path (a session's, an event's, a
    topic's) are written into its cut path: routing each with url_for took
    half as long again, and there are too many sessions to remember each.
    """
    cut = current_app.extensions["kb.cut_paths"](root, endpoint, tuple(n for n, _ in values))
    if cut is None:
        return url_for(endpoint, **dict(values))
    pieces, to_url = cut
    path = pieces[0]
    for (_, value), piece in zip(values, pieces[1:]):
        path += to_url(value) + piece
    return path


def path_for(endpoint, **values) -> str:
    """``url_for(endpoint, **values)``, remembered by the app for the same endpoint and values.

    A search page links to some fifty sessions, events, topics and assets;
    building each link with url_for was a tenth of the page's time. A path
    depends on the endpoint, its values and the folder the site is served
    from (the script root), nothing else: no blueprint adds URL defaults.
    Relative endpoints, url_for's own options and unhashable values are
    built each time.
    """
    return Paths().url_for(endpoint, **values)


class Paths:
    """Remembered paths for the many links of one page: sessions', events', topics' and others.

    Each lookup through Flask's context locals (``request``, ``current_app``)
    cost about 2 µs, more than finding the remembered path: this looks up the
    app's paths and the request's script root once, for all the page's links.
    """

    def __init__(self) -> None:
        root = request.script_root if has_request_context() else None
        self._path = partial(current_app.extensions["kb.paths"], root)

    def url_for(self, endpoint, **values) -> str:
        """:func:`path_for`: the templates' ``url_for``."""
        if endpoint.startswith(".") or not URL_FOR_OPTIONS.isdisjoint(values):
            return url_for(endpoint, **values)
        try:
            return self._path(endpoint, tuple(values.items()))
        except TypeError:  # a list of values: not hashable
            return url_for(endpoint, **values)

    def session(self, session_id) -> str:
        """The permalink of a session id ``<event-id>/<slug>``."""
        event_id, _, slug = session_id.partition("/")
        return self._path("pages.session", (("event_id", event_id), ("slug", slug)))

    def event(self, event_id) -> str:
        """An event's page."""
        return self._path("pages.event", (("event_id", event_id),))

    def topic(self, topic_id) -> str:
        """A topic's page."""
        return self._path("pages.topic", (("topic_id", topic_id),))


# what url_for leaves unquoted in a query string (werkzeug.urls._urlencode)
QUERY_SAFE = "!$'()*,/:;?@"


def query_path(endpoint, items) -> str:
    """``url_for(endpoint, **items)`` for an endpoint whose path takes no values.

    The path is remembered (:func:`path_for`); the query is written as url_for
    writes it, in the order of ``items`` (a dict, lists for repeated names).
    """
    path = path_for(endpoint)
    query = urlencode(items, doseq=True, safe=QUERY_SAFE)
    return f"{path}?{query}" if query else path


def _cut_path(root, endpoint, names) -> tuple[tuple[str, ...], Callable[[Any], str]] | None:
    """``endpoint``'s path cut where the values of ``names`` go, and how a value is written there.

    None unless each of ``names`` is a value of the endpoint's only rule, in
    that order, written by the default converter (``<name>``), and the rule
    takes no other. ``root`` (the script root) keys the cache, as in
    :func:`_build_path`. The pieces come from url_for itself, with marks for
    the values; a value is quoted by the map's default converter, as url_for
    quotes it.
    """
    rules = list(current_app.url_map.iter_rules(endpoint))
    if len(rules) != 1 or rules[0].arguments != set(names) \
            or not all(f"<{name}>" in rules[0].rule for name in names):
        return None
    marks = [f"kb-mark-{i}-" for i in range(len(names))]
    path = url_for(endpoint, **dict(zip(names, marks)))
    pieces = []
    for mark in marks:
        piece, found, path = path.partition(mark)
        if not found:  # the rule takes its values in another order
            return None
        pieces.append(piece)
    pieces.append(path)
    return tuple(pieces), current_app.url_map.converters["default"](current_app.url_map).to_url


# A search page links to dozens of sessions, events and topics: their paths go to
# the remembered ones directly, without path_for's checks (a quarter of the time)
def session_url(session_id, **options) -> str:
    """The permalink of a session id ``<event-id>/<slug>``."""
    if options:
        event_id, _, slug = session_id.partition("/")
        return path_for("pages.session", event_id=event_id, slug=slug, **options)
    return Paths().session(session_id)


def topic_url(topic_id, **options) -> str:
    if options:
        return path_for("pages.topic", topic_id=topic_id, **options)
    return Paths().topic(topic_id)


def event_url(event_id, **options) -> str:
    if options:
        return path_for("pages.event", event_id=event_id, **options)
    return Paths().event(event_id)


def moved(path) -> ResponseReturnValue:
    """A 301 to ``path`` (a page's new address), keeping the request's query string."""
    query = request.query_string.decode("ascii", "replace")
    return redirect(f"{path}?{query}" if query else path, 301)


def outside_url(url) -> str | None:
    """A link to another site taken from the notes, or None when it is not a safe one."""
    return url if url and safe_url(url) else None


def absolute(path) -> str:
    """``path`` (as url_for builds it) as an absolute URL of this site.

    With ``KB_BASE_URL`` set, the URL starts with it, whatever Host the request
    named: a proxy's internal name, or a forged Host, must not reach a blog card
    or a feed reader.
    """
    base = current_app.config["KB_BASE_URL"]
    if base is None:
        return request.host_url.rstrip("/") + path
    root = request.script_root
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root):]  # the base URL already names the folder the site lives in
    return base + path


def _absolute_location(response):
    """Redirects point into ``KB_BASE_URL`` when it is set (werkzeug's name the request's Host)."""
    location = response.headers.get("Location")
    if location and current_app.config["KB_BASE_URL"]:
        full = urljoin(request.base_url, location)
        host = request.host_url
        if full.startswith(host):  # a page of this site, not a link to another one
            response.headers["Location"] = absolute("/" + full[len(host):])
    return response


def init_app(app) -> None:
    """Remember ``app``'s paths; make its redirects absolute URLs of its base URL, when it has one."""
    app.extensions["kb.paths"] = lru_cache(maxsize=PATHS_KEPT)(_build_path)
    app.extensions["kb.cut_paths"] = lru_cache(maxsize=CUT_PATHS_KEPT)(_cut_path)
    app.jinja_env.globals["url_for"] = path_for  # the templates' links, remembered too
    app.after_request(_absolute_location)


def first_image(record) -> tuple[str, str] | None:
    """(URL, caption) of a session's first image that a card may show, or None.

    Relative image URLs are read against the page the notes were published on.
    """
    page = record.url or record.event_url or ""
    for image in record.images:
        url, caption = image.url, image.caption
        full = urljoin(page, url)
        if urlsplit(full).scheme in ("http", "https") and safe_url(full):
            return full, caption
    return None


def date_range(start, end=None) -> str:
    """``2020-06-17`` or ``2020-06-17 – 2020-06-30``; empty without a date."""
    if not start:
        return ""
    return f"{start} – {end}" if end and end != start else start


# Link and Hit are named tuples: a search page makes ten hits with some twenty
# links, and frozen dataclasses took three times as long to make
class Link(NamedTuple):
    """Something to link to: a label and a URL, with a count where it has one."""

    label: str
    url: str
    count: int | None = None  # type: ignore[assignment]  # a field, where tuples have a method


class Hit(NamedTuple):
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


def topic_links(pairs, paths=None) -> tuple[Link, ...]:
    """Links to topic pages from (id, label) pairs; ``paths``, the page's :class:`Paths`."""
    topic = (paths or Paths()).topic
    return tuple(Link(label, topic(topic_id)) for topic_id, label in pairs)


def event_topic_links(event_id, pairs, sessions) -> tuple[Link, ...]:
    """The topics an event is tagged with, each with how many of its sessions take it.

    A topic links to the event's sessions under it; one that none of them takes
    (a tag such as "mixed") is shown without a link.
    """
    links = []
    for topic_id, label in pairs:
        count = sum(1 for s in sessions if any(t.id == topic_id for t in s.topics))
        url = path_for("pages.search", event=event_id, topic=topic_id) if count else ""
        links.append(Link(label, url, count))
    return tuple(links)


def hit_from_record(record, snippet=None, paths=None) -> Hit:
    """A Hit from a session record; its snippet the search's (a kb Snippet), else the text's start.

    ``paths``: the page's :class:`Paths`, when it lists many hits.
    """
    paths = paths or Paths()
    return Hit(
        id=record.id, title=record.title, url=paths.session(record.id),
        event=Link(record.event_name, paths.event(record.event_id)),
        date=record.shown_date,
        topics=topic_links(((t.id, t.label) for t in record.topics), paths),
        snippet=safe_snippet(snippet) if snippet is not None else escape(excerpt(record.text)),
        source_url=outside_url(record.url or record.event_url),
        speakers="、".join(record.speakers),
    )


def hit_from_result(hit, paths=None) -> Hit:
    """A Hit from one search hit of the service (``paths`` as :func:`hit_from_record` takes it)."""
    return hit_from_record(hit.record, hit.snippet, paths)


def hits_from_results(hits) -> list[Hit]:
    """The Hits of a page's search hits."""
    paths = Paths()
    return [hit_from_record(hit.record, hit.snippet, paths) for hit in hits]


@dataclass(frozen=True)
class Meta:
    """What a page says about itself to browsers and to blog cards (Open Graph)."""

    title: str
    description: str = ""
    url: str = ""
    type: str = "website"
    feed_url: str | None = None
    feed_title: str | None = None
    image: str | None = None  # an absolute URL
    image_alt: str = ""
    published: str | None = None  # YYYY-MM-DD: article:published_time

    @property
    def card(self) -> str:
        """The kind of Twitter/X card: a large one when there is an image to show."""
        return "summary_large_image" if self.image else "summary"
