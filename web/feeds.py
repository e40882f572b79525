"""Documents for feed readers and browsers: the Atom feed and the OpenSearch description."""

from dataclasses import replace

from flask import Blueprint, current_app, make_response, render_template, request, url_for

from kb.web.links import absolute, hit_from_result
from kb.web.params import SearchArgs
from kb.web.service import get_service

bp = Blueprint("feeds", __name__)


def _timestamp(date):
    return f"{date}T00:00:00Z" if date else "1970-01-01T00:00:00Z"


@bp.get("/feed.atom")
def atom():
    """Sessions matching the search parameters, newest first."""
    service = get_service()
    args = SearchArgs.from_args(request.args, current_app.config["FEED_SIZE"])
    args = replace(args, sort="date")
    results = service.search(args.request())
    entries = [{"hit": hit, "url": absolute(hit.url), "updated": _timestamp(hit.date),
                "summary": str(hit.snippet)}
               for hit in (hit_from_result(h) for h in results.hits)]
    newest = max((e["hit"].date for e in entries if e["hit"].date), default=None)
    if newest is None:
        newest = max((e["date"] or "" for e in service.events()), default="") or None
    if args.q:
        title = f"「{args.q}」の新着セッション"
    else:
        title = "新着セッション"
    page_args = replace(args, page=1, sort="date", default_limit=args.limit)
    response = make_response(render_template(
        "feed.atom.xml", title=title, entries=entries, updated=_timestamp(newest),
        self_url=absolute(request.script_root + request.full_path.rstrip("?")),
        page_url=absolute(url_for("pages.search", **page_args.items())),
    ))
    response.mimetype = "application/atom+xml"
    return response


@bp.get("/opensearch.xml")
def opensearch():
    """The description that lets browsers offer the site as a search engine."""
    response = make_response(render_template(
        "opensearch.xml", search_url=absolute(url_for("pages.search")),
        suggest_url=absolute(url_for("api.suggest")), feed_url=absolute(url_for("feeds.atom")),
        icon_url=absolute(url_for("static", filename="favicon.svg")),
    ))
    response.mimetype = "application/opensearchdescription+xml"
    return response
