"""The JSON twins of the pages, for programs and for the blog.

``/api/search`` answers exactly the object ``kb search --json`` prints.
"""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from kb.web.links import event_url, moved, session_url, topic_url
from kb.web.params import SearchArgs
from kb.web.service import get_service

bp = Blueprint("api", __name__, url_prefix="/api")

CLI_LIMIT = 10  # `kb search --limit` default, so that both answer the same


@bp.after_request
def allow_any_origin(response) -> Response:
    if request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def public_session(record) -> dict[str, Any]:
    """A session's public record (kb.records' allow-list) with its permalink."""
    return {**record.to_public(), "html_url": session_url(record.id)}


def public_event(event) -> dict[str, Any]:
    """An event's public fields (as the service lists them) with its page URL."""
    data = {k: v for k, v in event.items() if k != "sessions"}
    data["html_url"] = event_url(event["id"])
    return data


@bp.get("/search")
def search() -> Response:
    args = SearchArgs.from_args(request.args, CLI_LIMIT)
    service = get_service()
    results = service.search(args.request())
    data = results.to_dict()
    if request.args.get("explain") == "1":  # as `kb search --json --explain`
        data["explain"] = service.explain(args.request(), results)
    return jsonify(data)


@bp.get("/events")
def events() -> Response:
    return jsonify({"events": [public_event(e) for e in get_service().events()]})


@bp.get("/events/<event_id>")
def event(event_id) -> ResponseReturnValue:
    service = get_service()
    record = service.event(event_id)
    if record is None:
        current = service.renamed_event(event_id)
        if current:
            return moved(url_for("api.event", event_id=current))
        abort(404, description=f"no event {event_id!r}")
    data = public_event(record)
    data["sessions"] = [public_session(s) for s in record["sessions"]]
    return jsonify(data)


@bp.get("/sessions/<event_id>/<slug>")
def session(event_id, slug) -> ResponseReturnValue:
    service = get_service()
    record = service.session(f"{event_id}/{slug}")
    if record is None:
        current = service.renamed_session(f"{event_id}/{slug}")
        if current:
            new_event, _, new_slug = current.partition("/")
            return moved(url_for("api.session", event_id=new_event, slug=new_slug))
        abort(404, description=f"no session {event_id}/{slug!r}")
    data = public_session(record)
    data["related"] = [
        {"id": r.id, "title": r.title, "date": r.date,
         "event": {"id": r.event_id, "name": r.event_name}, "html_url": session_url(r.id)}
        for r in service.related(record.id)]
    return jsonify(data)


@bp.get("/topics")
def topics() -> Response:
    found = [{**t.to_dict(), "html_url": topic_url(t.value)} for t in get_service().topics()]
    return jsonify({"topics": found})


@bp.get("/suggest", endpoint="suggest")
def suggest_view() -> Response:
    """Suggestions as you type; ``format=opensearch`` answers the browsers' array form."""
    text = request.args.get("q", "")[:100]
    found = get_service().suggest(text)
    if request.args.get("format") == "opensearch":
        return jsonify([text, [s.label for s in found]])
    urls: dict[str, Callable[..., str]] = {"topic": topic_url, "event": event_url,
                                           "title": session_url}
    return jsonify({"query": text, "suggestions": [
        {**s.to_dict(), "url": urls[s.kind](s.id) if s.kind in urls else None}
        for s in found]})
