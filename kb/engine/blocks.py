"""Writing a new segment's postings in whoosh's own block format, a block at a time.

Whoosh's field writer takes postings one by one: for each it checks the
order, looks up the document's field length, checks types and updates the
block's statistics, all in Python, for millions of postings. The postings of a
:class:`~kb.engine.pool.CompactPool` are already grouped by term and in
order, so here each block of a term (whoosh's 128 postings) is handed to
whoosh's own postings writer whole, its statistics computed over the block:
whoosh still encodes and writes every block and term, so the files are the
ones it would write (the tests read them back with whoosh and compare).
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.formats import Positions

from kb.engine.pool import CompactPool
from kb.engine.sidecar import SidecarWriter


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
        write_postings(writer.fieldwriter, writer.schema, lengths, writer.pool, sidecar)
        writer.fieldwriter.close()
    finally:
        if lengths is not None:
            lengths.close()
    # beside whoosh's files, named after the segment: whoosh deletes it with them
    sidecar.write(writer.storage, writer.newsegment)


def write_postings(fieldwriter: Any, schema: Any, lengths: SegmentLengths | None,
                   pool: CompactPool, sidecar: SidecarWriter | None = None) -> None:
    """Write every posting of ``pool`` with whoosh's field writer, a block at a time, and
    into ``sidecar`` as arrays."""
    for fieldname, field in pool.fields():
        fieldwriter.start_field(fieldname, schema[fieldname])
        if sidecar is not None:
            sidecar.start_field(fieldname)
        field_lengths = lengths.lengths(fieldname) if lengths is not None else None
        positional = type(schema[fieldname].format) is Positions
        for term, docs, weights, values in field.by_term():
            if sidecar is not None:
                sidecar.add_term(term, docs, weights, values if positional else None)
            fieldwriter.start_term(term)
            postings = fieldwriter._postwriter
            limit = postings._blocklimit
            for start in range(0, len(docs), limit):
                end = start + limit
                _fill(postings, docs[start:end], weights[start:end], values[start:end],
                      [field_lengths[d] for d in docs[start:end]] if field_lengths else None)
                if end < len(docs):
                    postings._write_block()  # the last block is written by finish_term
            fieldwriter.finish_term()
        fieldwriter.finish_field()


def _fill(postings: Any, docs: list, weights: list, values: list, lengths: list | None) -> None:
    """Put one block's postings in whoosh's postings writer, as its add_posting would."""
    postings._ids = array("I", docs)
    postings._weights = array("f", weights)
    postings._maxweight = max(0, max(weights))
    # add_posting keeps only non-empty values, and the lengths that are not 0
    postings._values = [v for v in values if v]
    nonzero = [n for n in lengths if n] if lengths else ()
    postings._minlength = min(nonzero) if nonzero else None
    postings._maxlength = max(nonzero) if nonzero else 0
