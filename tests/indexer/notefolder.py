"""A notes folder, an index, and `kb index` between them, as a user runs it."""

from pathlib import Path

from kb.cli import main
from kb.engine import IndexStore
from kb.records import KIND_EVENT
from kb.requests import SearchRequest
from kb.search import SearchService

ROOT = Path(__file__).resolve().parents[2]
TOPICS = ROOT / "data" / "topics.yaml"

TARGET = """---
event: Target
id: target
date: 2021-05-01
---
## 元の内容
最初に書いたノート。
"""
OTHER = """---
event: Other
id: other
date: 2020-01-01
---
## ほかのノート
別のファイルのセッション。
"""
TARGET_SESSIONS = {"target/元の内容"}
OTHER_SESSIONS = {"other/ほかのノート"}


class Notes:
    """A notes folder, an index folder, and `kb index` between them."""

    def __init__(self, tmp_path, capsys, taxonomy):
        self.folder = tmp_path / "notes"
        self.folder.mkdir()
        self.index = tmp_path / "index"
        self.capsys = capsys
        self.taxonomy = taxonomy
        self.out = ""  # what the last `kb index` printed on stdout
        self.write("other.md", OTHER)
        self.write("x.md", TARGET)

    @property
    def target(self):
        return self.folder / "x.md"

    def write(self, name, content):
        path = self.folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    def kb_index(self, *extra, paths=None):
        """Run `kb index` on the folder (or ``paths``); return (exit status, stderr)."""
        self.capsys.readouterr()
        paths = [str(p) for p in paths] if paths is not None else [str(self.folder)]
        status = main(["index", *paths, "--index", str(self.index),
                       "--topics", str(TOPICS), *extra])
        captured = self.capsys.readouterr()
        self.out = captured.out
        return status, captured.err

    def search(self, **request):
        service = SearchService(self.index, self.taxonomy, check_interval=0)
        try:
            return service.search(SearchRequest(per_page=100, **request))
        finally:
            service.close()

    def sessions(self):
        """Ids of every indexed session (up to 100)."""
        return {hit.record.id for hit in self.search().hits}

    def events(self):
        """The index's event records (as stored: where each came from included), by id."""
        with IndexStore(self.index).open().reader() as reader:
            return {doc["record"]["id"]: {**doc["record"],
                                          "session_count": len(doc["record"]["sessions"])}
                    for doc in reader.documents(KIND_EVENT)}
