"""The search service of an app: made once per app, shared by its threads."""

from flask import current_app

from kb.cli import load_topics
from kb.search import SearchService
from kb.store import resolve_index_dir

from web.render import NoteRenderer


def init_app(app):
    """Give ``app`` its search service and note renderer."""
    taxonomy = app.config["KB_TAXONOMY"]
    if taxonomy is None:
        taxonomy, _ = load_topics(app.config["KB_TOPICS"])
    index_dir = resolve_index_dir(app.config["KB_INDEX_DIR"])
    app.extensions["kb"] = SearchService(index_dir, taxonomy)
    app.extensions["kb.renderer"] = NoteRenderer()


def get_service():
    """The current app's :class:`~kb.search.SearchService`."""
    return current_app.extensions["kb"]


def get_renderer():
    """The current app's :class:`~web.render.NoteRenderer`."""
    return current_app.extensions["kb.renderer"]
