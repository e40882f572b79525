"""Writing a new segment whose postings a :class:`~kb.engine.pool.CompactPool` holds.

Whoosh's field writer takes postings one by one and asks each document's
field length once per posting. Here the lengths are read once per field and
the postings written a field at a time (:mod:`kb.engine.termfiles`), into
the very files whoosh would write (the tests read them back with whoosh and
compare), and into kb's own arrays beside them (:mod:`kb.engine.sidecar`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from kb.engine.sidecar_writer import SidecarWriter
from kb.engine.termfiles import write_segment_terms

# the length each byte stands for; a byte of 0 is no length (whoosh reads None)
_LENGTHS = np.array([0] + [byte_to_length(b) for b in range(1, 256)], np.int64)


class SegmentLengths:
    """A new segment's field lengths, read a field at a time.

    Whoosh asks a document's field length once per posting, each a column
    read and a decode: here each field's column of length bytes is read at
    once and decoded as an array.
    """

    def __init__(self, reader: Any):
        self._reader = reader
        self._fields: dict[str, np.ndarray] = {}

    def lengths(self, fieldname: str) -> np.ndarray:
        """The length of the field in each document, by document number (int64; 0 where
        whoosh reads none)."""
        found = self._fields.get(fieldname)
        if found is None:
            found = np.zeros(self._reader.doc_count_all(), np.int64)
            column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is not None:  # one byte a document; documents past the column have none
                codes = np.frombuffer(column._dbfile.get(column._basepos, column._count),
                                      dtype=np.uint8)
                found[:len(codes)] = _LENGTHS[codes]
            self._fields[fieldname] = found
        return found

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
