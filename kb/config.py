"""Where kb finds its settings: an option, else an environment variable, else the defaults.

The topic taxonomy and the synonyms ship inside the package (``kb.data``);
a ``data/`` folder in the working directory, an environment variable or an
option overrides them. The index folder defaults to ``./.kb-index``. Nothing
here is read at import time.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Mapping

from kb.errors import KbError
from kb.synonyms import Synonyms, parse_synonyms
from kb.tagging import taxonomy_digest
from kb.taxonomy import Taxonomy, parse_taxonomy

DEFAULT_INDEX_DIR = ".kb-index"
LOCAL_DATA = Path("data")  # a project's own data/ folder, when kb runs inside one


def _environ(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def index_dir(option: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The index folder: the option, else $KB_INDEX_DIR, else ./.kb-index."""
    return Path(option or _environ(environ).get("KB_INDEX_DIR") or DEFAULT_INDEX_DIR)


def _data_file(name: str, option: str | Path | None, variable: str,
               environ: Mapping[str, str] | None) -> tuple[str, bytes] | None:
    """(where, bytes) of a data file: the option, $variable, ./data/NAME, else the package's."""
    given = option or _environ(environ).get(variable)
    if given:
        path = Path(given)
    elif (LOCAL_DATA / name).is_file():
        path = LOCAL_DATA / name
    else:
        packaged = resources.files("kb.data") / name
        return (f"kb.data/{name}", packaged.read_bytes()) if packaged.is_file() else None
    try:
        return str(path), path.read_bytes()
    except OSError as exc:
        raise KbError(f"{path}: cannot read {name}: {exc.strerror}") from None


def load_topics(option: str | Path | None = None,
                environ: Mapping[str, str] | None = None) -> tuple[Taxonomy, str]:
    """(taxonomy, a digest of its file and of the rules that apply it) from --topics,
    $KB_TOPICS, ./data or the package."""
    found = _data_file("topics.yaml", option, "KB_TOPICS", environ)
    if found is None:
        return Taxonomy(), ""
    where, data = found
    text = data.decode("utf-8", errors="replace")
    return parse_taxonomy(text, where), taxonomy_digest(data)


def load_synonyms(option: str | Path | None = None, taxonomy: Taxonomy | None = None,
                  environ: Mapping[str, str] | None = None) -> Synonyms:
    """Synonyms from --synonyms, $KB_SYNONYMS, ./data or the package, plus topic names."""
    found = _data_file("synonyms.yaml", option, "KB_SYNONYMS", environ)
    where, data = found if found else ("<none>", b"")
    return parse_synonyms(data.decode("utf-8", errors="replace"), where, taxonomy)


def site_name(environ: Mapping[str, str] | None = None) -> str:
    """The site's name in titles and cards: $KB_SITE_NAME, else kb."""
    return _environ(environ).get("KB_SITE_NAME") or "kb"


def base_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The site's public address for absolute URLs ($KB_BASE_URL), or None to use the request's."""
    value = (_environ(environ).get("KB_BASE_URL") or "").strip().rstrip("/")
    return value or None
