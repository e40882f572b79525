"""What every template may use: the site's name, navigation and versioned asset URLs."""

import hashlib
from pathlib import Path

from flask import request

from kb.web.links import Paths

NAV = (("pages.search", "検索"), ("pages.events", "イベント"), ("pages.topics", "トピック"))
NAV_SECTIONS = {"pages.search": "pages.search", "pages.events": "pages.events",
                "pages.event": "pages.events", "pages.session": "pages.events",
                "pages.topics": "pages.topics", "pages.topic": "pages.topics"}


def asset_versions(static_folder) -> dict[str, str]:
    """A short content hash of each static file, so that URLs change when files do."""
    versions = {}
    for path in Path(static_folder).rglob("*"):
        if path.is_file():
            name = path.relative_to(static_folder).as_posix()
            versions[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return versions


def init_app(app) -> None:
    versions = asset_versions(app.static_folder)

    @app.context_processor
    def site():
        section = NAV_SECTIONS.get(request.endpoint or "")
        # a page's own url_for (kb.web.links.path_for): it links a dozen assets and pages
        url_for = Paths().url_for

        def asset(filename):
            return url_for("static", filename=filename, v=versions.get(filename))

        return {
            "site_name": app.config["KB_SITE_NAME"],
            "site_description": app.config["SITE_DESCRIPTION"],
            "url_for": url_for,
            "asset": asset,
            "nav": [{"label": label, "url": url_for(endpoint), "current": endpoint == section}
                    for endpoint, label in NAV],
        }
