"""A site over notes that tests edit between runs of `kb index` (``from tests.web.editing import *``)."""

import pytest

from kb.web import create_app
from tests.indexer.notefolder import Notes

__all__ = ["CONF", "notes", "site"]

CONF = """---
event: Conf
id: conf
date: 2019-05-01
author: 山田花子
---
## GPU の話
GPUで推論を高速化した。バッチを大きくすると速くなる。

## 検索の話
全文検索エンジンの転置インデックスを作った。

## 懇親会
"""


@pytest.fixture
def notes(tmp_path, capsys, taxonomy):
    """A notes folder with CONF (and two other notes), indexed once."""
    notes = Notes(tmp_path, capsys, taxonomy)
    notes.write("x.md", CONF)
    assert notes.kb_index() == (0, "")
    return notes


@pytest.fixture
def site(notes):
    """Make a test client of the site over the notes' index as it is now."""
    apps = []

    def client(**config):
        app = create_app({"TESTING": True, "KB_INDEX_DIR": str(notes.index),
                          "KB_TAXONOMY": notes.taxonomy, **config})
        apps.append(app)
        return app.test_client()
    yield client
    for app in apps:
        app.extensions["kb"].close()
