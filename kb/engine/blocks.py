"""Writing a new segment whose postings a :class:`~kb.engine.pool.CompactPool` holds.

Whoosh's field writer takes postings one by one and asks each document's
field length once per posting. Here the lengths are read once per field and
the postings written a field at a time (:mod:`kb.engine.termfiles`), into
the very files whoosh would write (the tests read them back with whoosh and
compare), and into kb's own arrays beside them (:mod:`kb.engine.sidecar`).
"""

from __future__ import annotations

from typing import Any

from kb.engine.sidecar_writer import SidecarWriter
from kb.engine.termfiles import write_segment_terms


class SegmentLengths:
    """A new segment's field lengths, read a field at a time.

    Whoosh asks a document's field length once per posting (half a million
    asks a million characters), each a column read and a decode: here each
    document's length is read once per field.
    """

    def __init__(self, reader: Any):
        self._reader = reader
        self._fields: dict[str, list[int]] = {}

    def lengths(self, fieldname: str) -> list[int]:
        """The length of the field in each document, by document number."""
        found = self._fields.get(fieldname)
        if found is None:
            read = self._reader.doc_field_length
            found = self._fields[fieldname] = [
                read(n, fieldname, 0) for n in range(self._reader.doc_count_all())]
        return found

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self.lengths(fieldname)[docnum]

    def close(self) -> None:
        self._reader.close()


def flush_segment(writer: Any) -> None:
    """Whoosh's ``SegmentWriter._flush_segment`` for a writer whose pool is a CompactPool."""
    writer.perdocwriter.close()
    lengths = SegmentLengths(writer.per_document_reader()) if writer.codec.length_stats else None
    sidecar = SidecarWriter()
    try:
        write_segment_terms(writer.fieldwriter, writer.schema, lengths, writer.pool, sidecar)
    finally:
        if lengths is not None:
            lengths.close()
    # beside whoosh's files, named after the segment: whoosh deletes it with them
    sidecar.write(writer.storage, writer.newsegment)
