"""Writing an index: documents added and deleted, segments written by other processes.

A :class:`Writer` changes nothing readers can see until :meth:`Writer.commit`;
:meth:`Writer.cancel` drops what it did. :class:`SegmentBuilder` writes a
share of the documents into a segment of its own in another process, which
the writer then adds in its commit: that is how both cores analyse text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from whoosh.writing import MERGE_SMALL, SegmentWriter

from kb.engine import adding, perdoc
from kb.engine.blocks import flush_segment
from kb.engine.pool import CompactPool

if TYPE_CHECKING:
    from kb.engine.index import Index



# Documents per segment a worker writes: the postings of 20,000 sessions hold
# about 300 MB until written.
SEGMENT_DOCS = 20_000


class Segment:
    """A segment written by a :class:`SegmentBuilder`, to be added by a commit."""

    def __init__(self, segment: Any) -> None:
        self._segment = segment


class Writer:
    """Changes to one index, applied together by :meth:`commit`."""

    def __init__(self, index: "Index") -> None:
        self.index = index
        self._writer = index._ix.writer(compound=False)
        self._by_blocks = index.caps.segment_writer and adding.fits(self._writer.schema)
        if self._by_blocks:
            _write_by_blocks(self._writer, index.caps.per_doc_files)

    def analyzer(self, fieldname: str) -> Any:
        """The writer's own analyzer of a field, whose memory of texts indexing then reuses."""
        return self._writer.schema[fieldname].analyzer

    def add(self, fields: dict[str, Any]) -> None:
        """Add a document (field name -> value)."""
        if self._by_blocks:
            adding.add_document(self._writer, fields)
        else:
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


def _write_by_blocks(writer: Any, per_doc_files: bool) -> None:
    """Hold a whoosh writer's postings compactly, never spilled, and write them a block at a time;
    with ``per_doc_files``, its per-document files too (:mod:`kb.engine.perdoc`).

    Whoosh's own pool pickles postings to run files past its size limit and
    merges them back at commit; a full build wrote a fifth of its time so.
    """
    writer.pool = CompactPool()
    writer._flush_segment = lambda: flush_segment(writer)
    if per_doc_files and perdoc.fits(writer.perdocwriter):
        perdoc.replace(writer)


class SegmentBuilder:
    """Documents written into new segments of an index from another process.

    Only the process holding the folder's lock commits; this one writes
    without the lock and hands its segments back. A segment's postings are
    held in memory until it is written: past ``segment_docs`` documents the
    builder writes one and starts the next, so that memory stays bounded
    however many documents it is given, and no segment is merged.
    """

    def __init__(self, index: "Index", segment_docs: int = SEGMENT_DOCS) -> None:
        if not index.caps.segment_writer:
            raise RuntimeError("this whoosh cannot write segments from other processes")
        if not adding.fits(index._ix.schema):
            raise RuntimeError("segments are written without spelling fields or vectors")
        self._index = index
        self._segment_docs = segment_docs
        self._written: list[Segment] = []
        self._writer = self._new_writer()
        # every segment's writer analyses with the first one's analyzers, whose
        # memory of texts tagging shares
        self._schema = self._writer.schema

    def _new_writer(self) -> Any:
        writer = SegmentWriter(self._index._ix, _lk=False, compound=False)
        _write_by_blocks(writer, self._index.caps.per_doc_files)  # never spilled to run files
        return writer

    def analyzer(self, fieldname: str) -> Any:
        """The builder's own analyzer of a field."""
        return self._schema[fieldname].analyzer

    def add(self, fields: dict[str, Any]) -> None:
        """Add a document (field name -> value)."""
        if self._writer.doc_count() >= self._segment_docs:
            self._written.append(Segment(self._writer._finalize_segment()))
            self._writer = self._new_writer()
            self._writer.schema = self._schema
        adding.add_document(self._writer, fields)

    def finish(self) -> list[Segment]:
        """The written segments, ready for a commit (the step whoosh's own sub-writers take)."""
        return [*self._written, Segment(self._writer._finalize_segment())]

    def cancel(self) -> None:
        """Drop what was written."""
        self._writer.cancel()
        storage = self._index._ix.storage
        # whoosh leaves a cancelled segment's files to its next commit, which
        # knows nothing of segments written in another process: they go now
        for segment in [*(s._segment for s in self._written), self._writer.newsegment]:
            for name in segment.list_files(storage):
                storage.delete_file(name)
