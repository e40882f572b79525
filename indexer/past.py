"""What the index held before a run: the event records of its files, and old sessions."""

from typing import Any

from kb.engine import IndexStore
from kb.records import KIND_EVENT, KIND_SESSION

from kb.indexer.filelist import is_whole


class Past:
    """Event records by source of the index a run updates or replaces, read by ``reader``.

    ``name`` is that index's name, from which other processes read old sessions
    (see :class:`OldSessions`).
    """

    def __init__(self, records=None, reader=None, name=None) -> None:
        self.records = records or {}  # stored event records by source
        self.by_id = {rec["id"]: source for source, rec in self.records.items()}
        self.reader = reader
        self.name = name

    def before(self, source, event_id, parsed) -> dict | None:
        """The event record a note read in this run had: its own, or, moved, its id's."""
        record = self.records.get(source)
        if record is None:
            other = self.by_id.get(event_id)
            # the id's note is gone (a move), unless it was read in this run under another id
            record = self.records[other] if other is not None and other not in parsed else None
        return self._whole(record)

    def _whole(self, record):
        """The stored event record of which ``record`` may hold only the kept fields."""
        if record is None or is_whole(record) or self.reader is None:
            return record
        doc = self.reader.document(record["id"])
        return doc["record"] if doc and doc.get("kind") == KIND_EVENT else record

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()


class OldSessions:
    """The stored records of old sessions by id, read from an index opened when first asked.

    A note read again keeps its sessions' history (see history.py); only a
    session whose slug went is looked up, so most runs never open the index.
    """

    def __init__(self, store_path, name) -> None:
        self._store_path = store_path
        self._name = name  # None: there was no index before
        self._reader: Any = None
        self._tried = False

    def __call__(self, session_id: str) -> dict | None:
        """The stored record of an old session, or None."""
        try:
            if self._reader is None:
                if self._name is None or self._tried:
                    return None
                self._tried = True  # an index that cannot be opened is tried once
                self._reader = IndexStore(self._store_path).open_named(self._name) \
                    .reader(check="none")
            doc = self._reader.document(session_id)
        except Exception:  # an old index that cannot be read only costs its history
            return None
        return doc["record"] if doc and doc.get("kind") == KIND_SESSION else None

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
