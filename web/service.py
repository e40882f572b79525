"""The search service of an app: made once per app, shared by its threads."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from typing import Any, Callable, Hashable

from flask import Flask, current_app

from kb import config
from kb.search import SearchService
from kb.web.render import NoteRenderer


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
    try:
        kept = pages.get(key)
    except TypeError:  # not hashable: render, do not keep
        return render()
    if kept is not None and kept[0] is answer:
        with contextlib.suppress(KeyError):  # another thread may have dropped it
            pages.move_to_end(key)  # most recently used last
        return kept[1]
    kept = pages[key] = (answer, render())
    while len(pages) > PAGES_KEPT:
        try:
            pages.popitem(last=False)
        except KeyError:
            break
    return kept[1]
