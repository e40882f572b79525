"""The HTML pages: search, events, sessions, topics and the embeddable list."""

from dataclasses import replace

from functools import partial
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from kb.explain import explanation_lines
from kb.related import related_sessions
from kb.timeline import sessions_per_year
from kb.web.charts import bar_chart
from kb.web.facets import canonical_args, chips, facet_groups, pager
from kb.web.links import (Link, Meta, date_range, event_topic_links, event_url, hit_from_record,
                       hit_from_result, outside_url, session_url, topic_url)
from kb.web.params import SearchArgs
from kb.web.render import excerpt
from kb.web.service import get_renderer, get_service, remembered_page

bp = Blueprint("pages", __name__)

STARTER_TOPICS = 16
STARTER_EVENTS = 8
TOPIC_PAGE_SIZE = 20


def search_url(args):
    """The search page's URL for ``args``."""
    return with_query(url_for("pages.search"), args)


def with_query(path, args):
    """``path`` with the query string of ``args``, as url_for would build it."""
    # a search page has a hundred facet links: routing each one cost 35 µs
    query = urlencode(args.items(), doseq=True)
    return f"{path}?{query}" if query else path


def hidden_fields(args):
    """(name, value) pairs a new query keeps: the selected facets and the order."""
    fields = [(name, value) for name, values in args.items().items()
              if name in ("event", "topic", "year") for value in values]
    if args.sort != "relevance":
        fields.append(("sort", args.sort))
    return fields


def absolute(url):
    """``url`` (a path) as an absolute URL of this site."""
    return request.host_url.rstrip("/") + url


# -- search ---------------------------------------------------------------------

@bp.get("/")
@bp.get("/search")
def search():
    service = get_service()
    args = SearchArgs.from_args(request.args, current_app.config["PER_PAGE"])
    results = service.search(args.request())
    if request.args.get("explain") == "1" and args.q:
        return _search_page(service, args, results)
    return remembered_page(("search", request.host_url, args), results,
                           lambda: _search_page(service, args, results))


def _search_page(service, args, results):
    args = canonical_args(args, results)
    feed_args = replace(args, page=1, sort="relevance")
    if args.q:
        title = f"「{args.q}」の検索結果"
    elif args.filtered:
        title = "絞り込んだセッション"
    else:
        title = "すべてのセッション"
    context = {
        "meta": Meta(title, f"{results.total}件のセッション。{current_app.config['SITE_DESCRIPTION']}",
                     absolute(search_url(args)),
                     feed_url=url_for("feeds.atom", **feed_args.items()),
                     feed_title=f"{title}(新着順)"),
        "args": args, "results": results, "query": args.q, "hidden": hidden_fields(args),
        "hits": [hit_from_result(r) for r in results.results],
        "facets": facet_groups(args, results, partial(with_query, url_for("pages.search")),
                               {"event": url_for("pages.events"), "topic": url_for("pages.topics")}),
        "chips": chips(args, results, search_url),
        "clear_url": url_for("pages.search") if args.filtered else None,
        "pager": pager(args, results.pages, search_url),
        "sorts": [{"label": label, "url": search_url(replace(args, sort=sort, page=1)),
                   "current": sort == args.sort}
                  for sort, label in (("relevance", "関連度順"), ("date", "新しい順"))],
        "json_url": url_for("api.search", **args.items()),
        "first": (args.page - 1) * args.limit + 1 if results.total else 0,
        "last": min(results.total, args.page * args.limit),
        # did you mean: shown whenever the query found few sessions, not only none
        "suggestion_url": (search_url(replace(args, q=results.suggestion, page=1))
                           if results.suggestion else None),
    }
    if request.args.get("explain") == "1" and args.q:
        explained = service.explain(args.request(), results)
        context["explain_lines"] = explanation_lines(
            explained, {r["id"]: r["title"] for r in results.results})
    if not results.total:
        context["starter_topics"] = [Link(t["label"], topic_url(t["value"]), t["count"])
                                     for t in service.topics()[:STARTER_TOPICS]]
        context["starter_events"] = [Link(e["name"], event_url(e["id"]), e["session_count"])
                                     for e in service.events()[:STARTER_EVENTS]]
    return render_template("search.html", **context)


# -- events ---------------------------------------------------------------------

@bp.get("/events/")
def events():
    found = [{"name": e["name"], "url": event_url(e["id"]),
              "dates": date_range(e["date"], e.get("end_date")),
              "count": e["session_count"]} for e in get_service().events()]
    meta = Meta("イベント", f"{len(found)}件のイベントのノート", absolute(url_for("pages.events")))
    return render_template("events.html", meta=meta, events=found)


@bp.get("/events/<event_id>")
def event(event_id):
    record = get_service().event(event_id)
    if record is None:
        abort(404, description=f"イベント「{event_id}」は見つかりません。")
    intro = get_renderer().render(record.get("intro") or "")
    sessions = [hit_from_record(s) for s in record["sessions"]]
    meta = Meta(record["name"], excerpt(record.get("intro") or "", 160)
                or f"{record['name']}の{len(sessions)}セッションのノート",
                absolute(event_url(event_id)), feed_url=url_for("feeds.atom", event=event_id),
                feed_title=f"{record['name']}の新着セッション")
    return render_template(
        "event.html", meta=meta, event=record, intro=intro, sessions=sessions,
        topics=event_topic_links(event_id, record.get("event_topics", ()), record["sessions"]),
        source_url=outside_url(record.get("url")),
        dates=date_range(record.get("date"), record.get("end_date")),
        search_url=url_for("pages.search", event=event_id),
    )


@bp.get("/events/<event_id>/<slug>")
def session(event_id, slug):
    service = get_service()
    session_id = f"{event_id}/{slug}"
    record = service.session(session_id)
    if record is None:
        abort(404, description="このセッションは見つかりません。")
    snapshot = service.current()
    order = list(snapshot.events.get(event_id, {}).get("sessions", {}))
    at = order.index(session_id) if session_id in order else -1
    neighbours = {}
    for name, index in (("previous", at - 1), ("next", at + 1)):
        other = service.session(order[index]) if at >= 0 and 0 <= index < len(order) else None
        neighbours[name] = Link(other["title"], session_url(other["id"])) if other else None
    related = [hit_from_record(r) for r in related_sessions(service, session_id)]
    meta = Meta(record["title"], excerpt(record["text"], 160),
                absolute(session_url(session_id)), type="article")
    return render_template(
        "session.html", meta=meta, session=record, hit=hit_from_record(record),
        body=get_renderer().render(record["body"]), related=related,
        previous=neighbours["previous"], next=neighbours["next"],
        event_url=event_url(event_id),
        source_url=outside_url(record["url"] or record["event_url"]),
        json_url=url_for("api.session", event_id=event_id, slug=slug),
    )


# -- topics ---------------------------------------------------------------------

@bp.get("/topics/")
def topics():
    found = get_service().topics()
    top = max((t["count"] for t in found), default=0) or 1
    links = [{"label": t["label"], "url": topic_url(t["value"]), "count": t["count"],
              "share": round(100 * t["count"] / top)} for t in found]
    chart = bar_chart(sessions_per_year(get_service()), _describe_years,
                      url=lambda year: url_for("pages.search", year=year))
    meta = Meta("トピック", f"{len(links)}のトピック", absolute(url_for("pages.topics")))
    return render_template("topics.html", meta=meta, topics=links, chart=chart)


@bp.get("/topics/<topic_id>")
def topic(topic_id):
    service = get_service()
    resolved = service.resolve_topic(topic_id)
    if resolved is None:
        abort(404, description=f"トピック「{topic_id}」は見つかりません。")
    if resolved != topic_id:
        return redirect(topic_url(resolved), 301)
    args = replace(SearchArgs.from_args(request.args, TOPIC_PAGE_SIZE), q="", events=(),
                   years=(), topics=(topic_id,), sort="date")
    results = service.search(args.request())
    snapshot = service.current()
    label = snapshot.labels["topic"].get(topic_id, topic_id)
    chart = bar_chart(sessions_per_year(service, topic_id), _describe_years,
                      url=lambda year: url_for("pages.search", topic=topic_id, year=year))
    meta = Meta(f"トピック: {label}", f"「{label}」のセッション{results.total}件(新しい順)",
                absolute(topic_url(topic_id)), feed_url=url_for("feeds.atom", topic=topic_id),
                feed_title=f"{label}の新着セッション")
    return render_template(
        "topic.html", meta=meta, label=label, results=results, chart=chart,
        first=(results.page - 1) * results.per_page + 1,
        hits=[hit_from_result(r) for r in results.results],
        pager=pager(args, results.pages, lambda a: topic_url(topic_id, **_page_item(a))),
        search_url=url_for("pages.search", topic=topic_id),
    )


def _page_item(args):
    return {"page": args.page} if args.page != 1 else {}


def _describe_years(series):
    parts = "、".join(f"{year}年 {count}件" for year, count in series)
    return f"年ごとのセッション数: {parts}"


# -- embed ----------------------------------------------------------------------

@bp.get("/embed")
def embed():
    args = SearchArgs.from_args(request.args, current_app.config["EMBED_LIMIT"])
    if not args.q:
        args = replace(args, sort="date")
    results = get_service().search(args.request())
    args = canonical_args(args, results)
    more = replace(args, page=1, limit=current_app.config["PER_PAGE"])
    return render_template(
        "embed.html", results=results, hits=[hit_from_result(r) for r in results.results],
        more_url=absolute(search_url(replace(more, default_limit=more.limit))),
        meta=Meta("埋め込み", "", ""),
    )
