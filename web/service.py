"""The search service of an app: made once per app, shared by its threads.

Every page and JSON answer is a function of its URL, the index generation
and the code that renders it, so each carries an ETag made of the three: a
reader asking again with it (If-None-Match) gets 304 Not Modified, decided
before anything is searched or rendered, until the index changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable

from flask import Flask, Response, current_app, g, request

from kb import config
from kb.errors import KbError
from kb.generation import Generation
from kb.search import SearchService
from kb.web.render import NoteRenderer
from kb.web.security import REFUSED_HOST

TAGGED = frozenset({"pages", "api", "feeds"})  # blueprints whose answers carry an ETag


def init_app(app: Flask) -> None:
    """Give ``app`` its search service and note renderer."""
    taxonomy = app.config["KB_TAXONOMY"]
    if taxonomy is None:
        taxonomy, _ = config.load_topics(app.config["KB_TOPICS"])
    synonyms = config.load_synonyms(app.config.get("KB_SYNONYMS"), taxonomy)
    index_dir = config.index_dir(app.config["KB_INDEX_DIR"])
    app.extensions["kb"] = SearchService(index_dir, taxonomy, synonyms=synonyms)
    app.extensions["kb.renderer"] = NoteRenderer()
    app.extensions["kb.pages"] = OrderedDict()
    kept = app.config.get("KB_PAGES_KEPT", os.environ.get("KB_PAGES_KEPT"))
    app.config["KB_PAGES_KEPT"] = PAGES_KEPT if kept in (None, "") else int(kept)
    # made before the server forks its workers: they all tag alike, and a restart
    # (perhaps with new templates) makes every tag new
    app.extensions["kb.etag"] = f"{time.time_ns():x}"
    app.before_request(not_modified)
    app.after_request(tag_answer)


def get_service() -> SearchService:
    """The current app's :class:`~kb.search.SearchService`."""
    return current_app.extensions["kb"]


def get_renderer() -> NoteRenderer:
    """The current app's :class:`~kb.web.render.NoteRenderer`."""
    return current_app.extensions["kb.renderer"]


PAGES_KEPT = 128  # a search page with its facet links is 30-40 KB


def remembered_page(key: Hashable, answer: Any, render: Callable[[], str]) -> str:
    """A page rendered from ``answer``, rendered again only when the answer is a new one.

    The service hands out the same answer object for a question asked again in
    the same index generation; a page kept beside it is valid exactly as long.
    Rendering the facets and results of a page costs more than finding a
    remembered answer. Threads share the pages without a lock: each step on
    the OrderedDict is one atomic operation.
    """
    pages = current_app.extensions["kb.pages"]
    if not current_app.config["KB_PAGES_KEPT"]:
        return render()
    try:
        kept = pages.get(key)
    except TypeError:  # not hashable: render, do not keep
        return render()
    if kept is not None and kept[0] is answer:
        with contextlib.suppress(KeyError):  # another thread may have dropped it
            pages.move_to_end(key)  # most recently used last
        return kept[1]
    kept = pages[key] = (answer, render())
    while len(pages) > current_app.config["KB_PAGES_KEPT"]:
        try:
            pages.popitem(last=False)
        except KeyError:
            break
    return kept[1]


def generation_key(read: Callable[[], Generation] | None = None) -> Hashable | None:
    """The key of the index generation answers are made from, or None when it cannot be opened.

    ``read`` gets the generation (default: ask the service for its current one).
    """
    try:
        return (read() if read else get_service().generation()).key
    except KbError:  # the page will say what is wrong; nothing to tag
        return None


def request_generation() -> Generation:
    """The index generation this request reads, asked of the service once per request.

    Asking takes the service's lock, which waits for another thread's search:
    a page asks once when it starts (see :func:`not_modified`) and reads the
    same generation to the end, rather than asking again for each detail.
    """
    found = g.get("kb_generation_read")
    if found is None:
        found = g.kb_generation_read = get_service().generation()
    return found


def etag(generation: Hashable | None) -> str | None:
    """The ETag an answer to this request from ``generation`` gets, or None when it gets none.

    The URL with its host (pages write absolute URLs with it), the index
    generation and the app's start: the same three always give the same answer.
    """
    if generation is None or request.method not in ("GET", "HEAD") \
            or request.blueprint not in TAGGED \
            or REFUSED_HOST in request.environ:  # refused with a 400 of its own
        return None
    made = f"{current_app.extensions['kb.etag']} {generation} {request.host_url} {request.full_path}"
    return hashlib.blake2b(made.encode("utf-8"), digest_size=12).hexdigest()


def not_modified() -> Response | None:
    """304 Not Modified, before any searching, for a request naming the ETag it would get."""
    g.kb_generation = generation = generation_key(request_generation)
    tag = g.kb_etag = etag(generation)
    if tag is not None and request.if_none_match.contains_weak(tag):
        response = Response(status=304)
        response.set_etag(tag)
        return response
    return None


def tag_answer(response: Response) -> Response:
    """Give a successful answer its ETag (if the index did not change while it was made)."""
    tag = g.get("kb_etag")
    # the tag's URL is the request's own: only the generation may have changed since
    if tag is not None and response.status_code == 200 and generation_key() == g.kb_generation:
        response.set_etag(tag)
        response.headers.setdefault("Cache-Control", "no-cache")  # ask again, with the tag
    return response
