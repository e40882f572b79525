"""The kb web site: faceted search, event, session and topic pages, their JSON twins.

``create_app`` builds an app; nothing is created at import time. The app reads
the index folder and the topics file from its config (``KB_INDEX_DIR``,
``KB_TOPICS``, or an already loaded ``KB_TAXONOMY``), the site's name
(``KB_SITE_NAME``) and its public address (``KB_BASE_URL``); ``flask --app
kb.web run`` and ``kb serve`` take them from the environment variables of the
same names.
"""

import os
from urllib.parse import urlsplit

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from kb.errors import KbError


def base_url(value) -> str | None:
    """``value`` as a site's base URL without a trailing slash; KbError when it is not one."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise KbError("the base URL (--base-url or KB_BASE_URL) must look like "
                      f"https://kb.example.com, not {value!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with Japanese written as it is and keys in the order they were set."""

    ensure_ascii = False
    sort_keys = False


def create_app(test_config=None) -> Flask:
    """Create and configure an app; ``test_config`` overrides the defaults."""
    app = Flask(__name__)
    app.config.from_mapping(
        KB_INDEX_DIR=os.environ.get("KB_INDEX_DIR"),
        KB_TOPICS=os.environ.get("KB_TOPICS"),
        KB_TAXONOMY=None,
        KB_SITE_NAME=os.environ.get("KB_SITE_NAME") or "kb",
        # where readers reach the site, e.g. https://kb.example.com: absolute URLs
        # (og:url, feeds, redirects) come from it rather than from the request's Host
        KB_BASE_URL=os.environ.get("KB_BASE_URL") or None,
        SITE_DESCRIPTION="カンファレンスと勉強会のノートを横断して検索",
        # who may frame /embed; every other page may only be framed by the site itself
        FRAME_ANCESTORS=os.environ.get("KB_FRAME_ANCESTORS", "*"),
        PER_PAGE=10,
        FEED_SIZE=20,
        EMBED_LIMIT=5,
        SEND_FILE_MAX_AGE_DEFAULT=86400,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["KB_BASE_URL"] = base_url(app.config["KB_BASE_URL"])
    app.json = JSONProvider(app)

    from kb.web import api, context, errors, facet_markup, feeds, links, pages, security, service

    service.init_app(app)
    context.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    links.init_app(app)
    pages.init_app(app)
    facet_markup.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(api.bp)
    return app
