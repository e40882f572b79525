"""The kb web site: faceted search, event, session and topic pages, their JSON twins.

``create_app`` builds an app; nothing is created at import time. The app reads
the index folder and the topics file from its config (``KB_INDEX_DIR``,
``KB_TOPICS``, or an already loaded ``KB_TAXONOMY``); ``flask --app web run``
takes them from the environment variables of the same names.
"""

import os

from flask import Flask


def create_app(test_config=None):
    """Create and configure an app; ``test_config`` overrides the defaults."""
    app = Flask(__name__)
    app.config.from_mapping(
        KB_INDEX_DIR=os.environ.get("KB_INDEX_DIR"),
        KB_TOPICS=os.environ.get("KB_TOPICS"),
        KB_TAXONOMY=None,
        SITE_NAME="kb",
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
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from kb.web import api, context, errors, feeds, pages, security, service

    service.init_app(app)
    context.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(api.bp)
    return app
