"""One whoosh index of a folder: open a reader on it, or a writer."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.engine.compat import Capabilities

if TYPE_CHECKING:
    from kb.engine.reader import Reader
    from kb.engine.writer import Writer


class Index:
    """A whoosh index under its name in an index folder."""

    def __init__(self, ix: Any, name: str, path: Path, caps: Capabilities):
        self._ix = ix
        self.name = name
        self.path = path
        self.caps = caps

    def reader(self, max_bytes: int | None = None) -> "Reader":
        """A reader of the index as it is now (close it, or use it in a ``with``)."""
        from kb.engine.reader import Reader

        return Reader(self._ix.searcher(), self.name, self.caps, max_bytes)

    def writer(self) -> "Writer":
        """A writer that changes the index when committed."""
        from kb.engine.writer import Writer

        return Writer(self)

    def analyzer(self, fieldname: str) -> Any:
        """The analyzer the index uses for ``fieldname`` (kb's own, see kb.analysis)."""
        return self._ix.schema[fieldname].analyzer
