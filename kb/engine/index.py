"""One whoosh index of a folder: open a reader on it, or a writer."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.engine import sums
from kb.engine.compat import Capabilities
from kb.engine.guard import guarded

# what Index.reader's ``check`` reads of the sums kept (see kb.engine.sums.check)
CHECKS = {"sizes": "none", "changed": "changed", "sums": "all"}

if TYPE_CHECKING:
    from kb.engine.reader import Reader
    from kb.engine.writer import Writer


class Index:
    """A whoosh index under its name in an index folder."""

    def __init__(self, ix: Any, name: str, path: Path, caps: Capabilities) -> None:
        self._ix = ix
        self.name = name
        self.path = path
        self.caps = caps

    @classmethod
    def empty(cls, path: Path, caps: Capabilities) -> "Index":
        """An index in memory with nothing in it: what a folder without an index reads as."""
        from whoosh.filedb.filestore import RamStorage

        from kb.engine.schema import build_schema

        return cls(RamStorage().create_index(build_schema()), "empty", path, caps)

    def reader(self, max_bytes: int | None = None, check: str = "sizes") -> "Reader":
        """A reader of the index as it is now (close it, or use it in a ``with``).

        ``check``: "sizes" compares the sizes of its files with those written
        (no cost), "changed" also the checksums of files written to since (a
        stat each), "sums" the checksums of every file (reads the whole
        index), "none" skips.
        """
        from kb.engine.reader import Reader

        reader = Reader(self._searcher(), self.name, self.caps, self.path, max_bytes)
        if check != "none":
            try:
                sums.check(self.path, self.name, reader.generation[1], CHECKS[check])
            except BaseException:
                reader.close()
                raise
        return reader

    def record_sums(self) -> None:
        """Record the sizes and checksums of the current generation's files (after a commit)."""
        with self.reader(check="none") as reader:
            sums.record(self.path, self.name, reader.generation[1])

    @guarded
    def _searcher(self) -> Any:
        return self._ix.searcher()

    def writer(self) -> "Writer":
        """A writer that changes the index when committed."""
        from kb.engine.writer import Writer

        return Writer(self)

    def remove_unused_files(self) -> None:
        """Remove segment files of this index that its table of contents does not name."""
        from whoosh.index import TOC, clean_files

        toc = TOC.read(self._ix.storage, self.name)
        clean_files(self._ix.storage, self.name, toc.generation, toc.segments)

    def analyzer(self, fieldname: str) -> Any:
        """The analyzer the index uses for ``fieldname`` (kb's own, see kb.analysis)."""
        return self._ix.schema[fieldname].analyzer
