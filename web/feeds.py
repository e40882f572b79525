"""Documents for feed readers and browsers: the Atom feed and the OpenSearch description.

The feed lists sessions by when their notes were added or last changed, not by
when they were held: notes written today about a 2019 event are news today.
Each entry's id is a ``tag:`` URI made of the site's own name (the host of
``KB_BASE_URL``, else ``localhost``), the day kb first indexed the session and
the id it was first indexed under, so neither the Host a request names nor a
later retitling makes a feed reader show a session twice.
"""

from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

from flask import (Blueprint, Response, current_app, make_response, render_template, request,
                   url_for)

from kb.web.links import Paths, absolute, hit_from_result
from kb.web.params import SearchArgs
from kb.web.service import get_service, request_generation

bp = Blueprint("feeds", __name__)

EPOCH = "1970-01-01T00:00:00Z"  # when a feed has nothing to date it by
TAG_AUTHORITY = "localhost"  # a site without KB_BASE_URL names itself so


@dataclass(frozen=True)
class Entry:
    """One session of a feed, as the template writes it."""

    id: str
    title: str
    url: str
    updated: str
    published: str
    author: str | None
    categories: tuple
    summary: str


def tag_uri(origin, indexed) -> str:
    """The stable id of a session's entry: ``tag:<site>,<day first indexed>:<first id>``."""
    base = current_app.config["KB_BASE_URL"]
    parts = urlsplit(base) if base else None
    authority = parts.hostname if parts else TAG_AUTHORITY
    folder = parts.path.strip("/") + "/" if parts and parts.path.strip("/") else ""
    day = (indexed or EPOCH)[:10]
    return f"tag:{authority},{day}:{quote(folder + origin, safe='/')}"


def feed_title(service, args) -> str:
    """What a feed of ``args`` is called: its query, events, topics and years, then 新着セッション."""
    generation = request_generation()
    events = [generation.resolve_event(e) for e in args.events]
    topics = [generation.resolve_topic(t, service.taxonomy) for t in args.topics]
    parts = [f"「{args.q}」"] if args.q else []
    parts += ["・".join(names) for names in (
        [generation.events[e].name for e in events if e],
        [generation.topic_label(t) for t in topics if t],
        [f"{year}年" for year in args.years]) if names]
    return f"{' '.join(parts)}の新着セッション" if parts else "新着セッション"


def _entry(hit, events, paths):
    record = hit.record
    event = events.get(record.event_id)
    shown = hit_from_result(hit, paths)
    return Entry(
        id=tag_uri(record.origin, record.indexed), title=record.title,
        url=absolute(shown.url), updated=record.changed or EPOCH,
        published=record.indexed or EPOCH, author=event.author if event else None,
        categories=shown.topics, summary=str(shown.snippet),
    )


@bp.get("/feed.atom")
def atom() -> Response:
    """Sessions matching the search parameters, those added or changed last first."""
    service = get_service()
    args = SearchArgs.from_args(request.args, current_app.config["FEED_SIZE"])
    args = replace(args, sort="new")
    results = service.search(args.request())
    events = request_generation().events
    paths = Paths()
    entries = [_entry(hit, events, paths) for hit in results.hits]
    if entries:
        updated = entries[0].updated
    else:  # nothing matches: the feed changed when the index last did
        updated = request_generation().history.last_changed or EPOCH
    page_args = replace(args, page=1, sort="new", default_limit=args.limit)
    response = make_response(render_template(
        "feed.atom.xml", title=feed_title(service, args), entries=entries, updated=updated,
        self_url=absolute(request.script_root + request.full_path.rstrip("?")),
        page_url=absolute(url_for("pages.search", **page_args.items())),
    ))
    response.mimetype = "application/atom+xml"
    return response


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """The description that lets browsers offer the site as a search engine."""
    response = make_response(render_template(
        "opensearch.xml", search_url=absolute(url_for("pages.search")),
        suggest_url=absolute(url_for("api.suggest")), feed_url=absolute(url_for("feeds.atom")),
        icon_url=absolute(url_for("static", filename="favicon.svg")),
    ))
    response.mimetype = "application/opensearchdescription+xml"
    return response
