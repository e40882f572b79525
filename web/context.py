"""What every template may use: the site's name, navigation and versioned asset URLs."""

import hashlib
from pathlib import Path

from flask import request

from kb.web.links import path_for

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

    def asset(filename):
        return path_for("static", filename=filename, v=versions.get(filename))

    @app.context_processor
    def site():
        section = NAV_SECTIONS.get(request.endpoint or "")
        return {
            "site_name": app.config["KB_SITE_NAME"],
            "site_description": app.config["SITE_DESCRIPTION"],
            "asset": asset,
            "nav": [{"label": label, "url": path_for(endpoint), "current": endpoint == section}
                    for endpoint, label in NAV],
        }
