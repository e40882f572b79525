"""Writing an index: documents added and deleted, segments written by other processes.

A :class:`Writer` changes nothing readers can see until :meth:`Writer.commit`;
:meth:`Writer.cancel` drops what it did. :class:`SegmentBuilder` writes a
share of the documents into a segment of its own in another process, which
the writer then adds in its commit: that is how both cores analyse text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from whoosh.writing import MERGE_SMALL, SegmentWriter

if TYPE_CHECKING:
    from kb.engine.index import Index

LIMIT_MB = 256  # the posting pool of one writer


class Segment:
    """A segment written by a :class:`SegmentBuilder`, to be added by a commit."""

    def __init__(self, segment: Any) -> None:
        self._segment = segment


class Writer:
    """Changes to one index, applied together by :meth:`commit`."""

    def __init__(self, index: "Index") -> None:
        self.index = index
        self._writer = index._ix.writer(limitmb=LIMIT_MB, compound=False)

    def analyzer(self, fieldname: str) -> Any:
        """The writer's own analyzer of a field, whose memory of texts indexing then reuses."""
        return self._writer.schema[fieldname].analyzer

    def add(self, fields: dict[str, Any]) -> None:
        """Add a document (field name -> value)."""
        self._writer.add_document(**fields)

    def delete(self, fieldname: str, value: str) -> None:
        """Delete every document whose field holds ``value``."""
        self._writer.delete_by_term(fieldname, value)

    def commit(self, segments: Iterable[Segment] = ()) -> None:
        """Apply every change, adding ``segments`` written elsewhere as they are.

        Whoosh's merge policy decides on older small segments; new ones are
        never merged, which would rewrite what the workers just wrote.
        """
        added = [s._segment for s in segments]
        self._writer.commit(mergetype=lambda w, old: MERGE_SMALL(w, old) + added)

    def cancel(self) -> None:
        """Drop every change."""
        self._writer.cancel()


class _SegmentLengths:
    """A new segment's field lengths for whoosh's posting writer, read a field at a time.

    Writing the postings, whoosh asks a document's field length once per
    posting (half a million asks a million characters), each a column read
    and a decode: here each document's length is read once per field.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._fields[fieldname] = [
                read(n, fieldname, default) for n in range(self._reader.doc_count_all())]
        return lengths[docnum]

    def close(self) -> None:
        self._reader.close()


class SegmentBuilder:
    """Documents written into a new segment of an index from another process.

    Only the process holding the folder's lock commits; this one writes
    without the lock and hands its segment back.
    """

    def __init__(self, index: "Index", limitmb: int = 128) -> None:
        if not index.caps.segment_writer:
            raise RuntimeError("this whoosh cannot write segments from other processes")
        writer = SegmentWriter(index._ix, _lk=False, limitmb=limitmb, compound=False)
        own = writer.per_document_reader
        writer.per_document_reader = lambda: _SegmentLengths(own())
        self._writer = writer

    def analyzer(self, fieldname: str) -> Any:
        """The writer's own analyzer of a field."""
        return self._writer.schema[fieldname].analyzer

    def add(self, fields: dict[str, Any]) -> None:
        """Add a document (field name -> value)."""
        self._writer.add_document(**fields)

    def finish(self) -> Segment:
        """The written segment, ready for a commit (the same step whoosh's own sub-writers take)."""
        return Segment(self._writer._finalize_segment())

    def cancel(self) -> None:
        """Drop what was written."""
        self._writer.cancel()
