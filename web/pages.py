"""The HTML pages: search, events, sessions, topics and the embeddable list."""

from dataclasses import replace
from functools import lru_cache

from urllib.parse import urlencode

from typing import Any, Callable

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from kb.errors import QueryError
from kb.search import NO_NOTES
from kb.web.charts import bar_chart
from kb.web.explaining import clause_rows, hit_rows
from kb.web.facets import canonical_args, chips, facet_groups, pager
from kb.web.feeds import feed_title
from kb.web.links import (Link, Meta, Paths, absolute, date_range, event_topic_links, event_url,
                          first_image, hit_from_record, hits_from_results, moved, outside_url,
                          path_for, query_path, session_url, topic_url)
from kb.web.params import FACET_PARAMS, NAMES, SearchArgs
from kb.web.render import excerpt
from kb.browse import neighbours as neighbours_of
from kb.web.service import get_renderer, get_service, remembered_page, request_generation

bp = Blueprint("pages", __name__)

STARTER_TOPICS = 16
STARTER_EVENTS = 8
TOPIC_PAGE_SIZE = 20


def search_url(args) -> str:
    """The search page's URL for ``args``."""
    return with_query(path_for("pages.search"), args)


def with_query(path, args) -> str:
    """``path`` with the query string of ``args``, as url_for would build it."""
    # a search page has a hundred facet links: routing each one cost 35 µs
    query = urlencode(args.items(), doseq=True)
    return f"{path}?{query}" if query else path


def encode_pair(name: str, value: Any) -> str:
    """``name=value`` as urlencode(..., doseq=True) writes it."""
    return urlencode({name: value})


# name=value pairs each worker remembers encoded: facet values are the same
# few hundred ids on every page
PAIRS_KEPT = 4096


def init_app(app) -> None:
    """Give ``app`` its memory of encoded pairs."""
    app.extensions["kb.pairs"] = lru_cache(maxsize=PAIRS_KEPT)(encode_pair)


class QueryLinks:
    """:func:`with_query` for the many links of a page, through ``encode(name, value)``.

    The links of a page repeat the same query and selections, and the pages
    the same facet values: the app's ``encode`` remembers each pair encoded
    (encoding each pair anew was a tenth of a search page's time).
    """

    def __init__(self, path: str, encode: Callable[[str, Any], str] = encode_pair) -> None:
        self.path = path
        self._pair = encode

    def _encoded(self, args) -> dict[str, list[str]]:
        """The encoded pairs of ``args``' URL, by parameter name, in the URL's order."""
        return {name: [self._pair(name, value)
                       for value in (values if isinstance(values, list) else (values,))]
                for name, values in args.items().items()}

    def _url(self, pairs: list[str]) -> str:
        return f"{self.path}?{'&'.join(pairs)}" if pairs else self.path

    def __call__(self, args) -> str:
        return self._url([pair for pairs in self._encoded(args).values() for pair in pairs])

    def toggles(self, args) -> Callable[[str, str], str]:
        """``toggle(facet, value)``: the URL of ``args.toggled(facet, value)``.

        A page has a link for each facet value it shows, all of them the same
        arguments with one value more or less: what they share is encoded once.
        """
        encoded = self._encoded(replace(args, page=1))
        # each facet's parameters come before and after it in the URL's order
        around = {facet: ([p for name in NAMES[:NAMES.index(facet)] for p in encoded.get(name, ())],
                          [p for name in NAMES[NAMES.index(facet) + 1:] for p in encoded.get(name, ())])
                  for facet in FACET_PARAMS}
        # a value not selected yet (nearly all of them) goes between a start and an
        # end its facet's links share: "<path>?<before>&<selected>&" and "&<after>"
        ends = {facet: (f"{self.path}?{''.join(p + '&' for p in (*before, *encoded.get(facet, ())))}",
                        "".join("&" + p for p in after))
                for facet, (before, after) in around.items()}

        def toggle(facet: str, value: str) -> str:
            selected = args.selected(facet)
            if value not in selected:
                start, end = ends[facet]
                return start + self._pair(facet, value) + end
            before, after = around[facet]
            return self._url([*before, *(self._pair(facet, v) for v in selected if v != value),
                              *after])

        return toggle


def hidden_fields(args) -> list[tuple[str, str]]:
    """(name, value) pairs a new query keeps: the selected facets and the order."""
    fields = [(name, value) for name, values in args.items().items()
              if name in ("event", "topic", "year") for value in values]
    if args.sort != "relevance":
        fields.append(("sort", args.sort))
    return fields


SORTS = (("relevance", "関連度順"), ("date", "新しい順"), ("new", "新着順"))


def sort_links(args, url=search_url) -> list[dict[str, Any]]:
    """The orders a page can be sorted in; without a query, relevance falls back to dates."""
    used = args.sort if args.q or args.sort == "new" else "date"
    return [{"label": label, "current": sort == used,
             # relevance needs words to be relevant to
             "url": url(replace(args, sort=sort, page=1))
             if args.q or sort != "relevance" else None}
            for sort, label in SORTS]


# -- search ---------------------------------------------------------------------

@bp.get("/")
@bp.get("/search")
def search() -> ResponseReturnValue:
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
    links = QueryLinks(path_for("pages.search"), current_app.extensions["kb.pairs"])
    context = {
        "meta": Meta(title, f"{results.total}件のセッション。{current_app.config['SITE_DESCRIPTION']}",
                     absolute(links(args)),
                     feed_url=query_path("feeds.atom", feed_args.items()),
                     feed_title=feed_title(service, args)),
        "args": args, "results": results, "query": args.q, "hidden": hidden_fields(args),
        "hits": hits_from_results(results.hits),
        "facets": facet_groups(args, results, links,
                               {"event": path_for("pages.events"), "topic": path_for("pages.topics")},
                               links.toggles(args)),
        "chips": chips(args, results, links),
        "clear_url": links.path if args.filtered else None,
        "pager": pager(args, results.pages, links),
        "sorts": sort_links(args, links),
        "json_url": query_path("api.search", args.items()),
        "first": (args.page - 1) * args.limit + 1 if results.total else 0,
        "last": min(results.total, args.page * args.limit),
        # did you mean: shown whenever the query found few sessions, not only none
        "suggestion_url": (links(replace(args, q=results.suggestion, page=1))
                           if results.suggestion else None),
    }
    if request.args.get("explain") == "1" and args.q:
        explained = service.explain(args.request(), results)
        context["explain_clauses"] = clause_rows(explained)
        context["explain_hits"] = hit_rows(explained, context["hits"], context["first"])
    context["no_notes"] = not request_generation().all
    # the page says these two in its own words below
    context["notices"] = [m for m in results.messages
                          if m != NO_NOTES and not (results.corrected and m.startswith("no session"))]
    if not results.total:
        context["starter_topics"] = [Link(t.label, topic_url(t.value), t.count)
                                     for t in service.topics()[:STARTER_TOPICS]]
        context["starter_events"] = [Link(e["name"], event_url(e["id"]), e["session_count"])
                                     for e in service.events(STARTER_EVENTS)]
    return render_template("search.html", **context)


# -- events ---------------------------------------------------------------------

@bp.get("/events/")
def events() -> str:
    found = [{"name": e["name"], "url": event_url(e["id"]),
              "dates": date_range(e["date"], e.get("end_date")),
              "count": e["session_count"]} for e in get_service().events()]
    meta = Meta("イベント", f"{len(found)}件のイベントのノート", absolute(url_for("pages.events")))
    return render_template("events.html", meta=meta, events=found)


@bp.get("/events/<event_id>")
def event(event_id) -> ResponseReturnValue:
    service = get_service()
    record = service.event(event_id)
    if record is None:
        current = service.renamed_event(event_id)
        if current:
            return moved(event_url(current))
        abort(404, description=f"イベント「{event_id}」は見つかりません。")
    intro = get_renderer().render(record.get("intro") or "")
    paths = Paths()
    sessions = [hit_from_record(s, paths=paths) for s in record["sessions"]]
    meta = Meta(record["name"], excerpt(record.get("intro") or "", 160)
                or f"{record['name']}の{len(sessions)}セッションのノート",
                absolute(event_url(event_id)), feed_url=url_for("feeds.atom", event=event_id),
                feed_title=feed_title(service, SearchArgs(events=(event_id,))))
    return render_template(
        "event.html", meta=meta, event=record, intro=intro, sessions=sessions,
        topics=event_topic_links(event_id, record.get("event_topics", ()), record["sessions"]),
        source_url=outside_url(record.get("url")),
        dates=date_range(record.get("date"), record.get("end_date")),
        search_url=url_for("pages.search", event=event_id),
    )


@bp.get("/events/<event_id>/<slug>")
def session(event_id, slug) -> ResponseReturnValue:
    service = get_service()
    session_id = f"{event_id}/{slug}"
    record = service.session(session_id)
    if record is None:
        current = service.renamed_session(session_id)
        if current:
            return moved(session_url(current))
        abort(404, description="このセッションは見つかりません。")
    neighbours = {}
    for name, other_id in zip(("previous", "next"),
                              neighbours_of(request_generation(), session_id)):
        other = service.session(other_id) if other_id else None
        neighbours[name] = Link(other.title, session_url(other.id)) if other else None
    related = [hit_from_record(r) for r in service.related(session_id)]
    hit = hit_from_record(record)
    image, image_alt = first_image(record) or (None, "")
    meta = Meta(record.title, excerpt(record.text, 160),
                absolute(session_url(session_id)), type="article",
                image=image, image_alt=image_alt, published=hit.date or None)
    return render_template(
        "session.html", meta=meta, session=record, hit=hit,
        body=get_renderer().render(record.body), related=related,
        previous=neighbours["previous"], next=neighbours["next"],
        event_url=event_url(event_id),
        source_url=outside_url(record.url or record.event_url),
        json_url=url_for("api.session", event_id=event_id, slug=slug),
    )


# -- topics ---------------------------------------------------------------------

@bp.get("/topics/")
def topics() -> str:
    found = get_service().topics()
    top = max((t.count for t in found), default=0) or 1
    links = [{"label": t.label, "url": topic_url(t.value), "count": t.count,
              "share": round(100 * t.count / top)} for t in found]
    chart = bar_chart(get_service().sessions_per_year(), _describe_years,
                      url=lambda year: url_for("pages.search", year=year))
    meta = Meta("トピック", f"{len(links)}のトピック", absolute(url_for("pages.topics")))
    return render_template("topics.html", meta=meta, topics=links, chart=chart)


@bp.get("/topics/<topic_id>")
def topic(topic_id) -> ResponseReturnValue:
    service = get_service()
    resolved = service.resolve_topic(topic_id)
    if resolved is None:
        abort(404, description=f"トピック「{topic_id}」は見つかりません。")
    if resolved != topic_id:
        return redirect(topic_url(resolved), 301)
    args = replace(SearchArgs.from_args(request.args, TOPIC_PAGE_SIZE), q="", events=(),
                   years=(), topics=(topic_id,), sort="date")
    results = service.search(args.request())
    label = request_generation().topic_label(topic_id)
    chart = bar_chart(service.sessions_per_year(topic_id), _describe_years,
                      url=lambda year: url_for("pages.search", topic=topic_id, year=year))
    meta = Meta(f"トピック: {label}", f"「{label}」のセッション{results.total}件(新しい順)",
                absolute(topic_url(topic_id)), feed_url=url_for("feeds.atom", topic=topic_id),
                feed_title=feed_title(service, SearchArgs(topics=(topic_id,))))
    return render_template(
        "topic.html", meta=meta, label=label, results=results, chart=chart,
        first=(results.page - 1) * results.per_page + 1,
        hits=hits_from_results(results.hits),
        pager=pager(args, results.pages, lambda a: topic_url(topic_id, **_page_item(a))),
        search_url=url_for("pages.search", topic=topic_id),
    )


def _page_item(args):
    return {"page": args.page} if args.page != 1 else {}


def _describe_years(series):
    parts = "、".join(f"{year}年 {count}件" for year, count in series)
    return f"年ごとのセッション数: {parts}"


# -- embed ----------------------------------------------------------------------

EMBED_THEMES = {"light": "light", "dark": "dark", "auto": "light dark"}  # theme -> color-scheme


@bp.get("/embed")
def embed() -> str:
    args = SearchArgs.from_args(request.args, current_app.config["EMBED_LIMIT"])
    # light unless asked: most blogs are light, whatever the reader's system prefers
    theme = request.args.get("theme", "").strip() or "light"
    if theme not in EMBED_THEMES:
        raise QueryError(f"theme must be light, dark or auto, not {theme!r}", "theme")
    if not args.q:
        args = replace(args, sort="date")
    results = get_service().search(args.request())
    args = canonical_args(args, results)
    more = replace(args, page=1, per_page=current_app.config["PER_PAGE"])
    return render_template(
        "embed.html", results=results, hits=hits_from_results(results.hits),
        more_url=absolute(search_url(replace(more, default_limit=more.limit))),
        theme=theme, color_scheme=EMBED_THEMES[theme], meta=Meta("埋め込み", "", ""),
    )
