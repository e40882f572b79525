"""A posting pool that holds a whole segment's postings in memory, compactly.

Whoosh's own pool keeps each posting as a tuple of five Python objects (about
200 bytes) and, past its size limit, pickles them to run files that it reads
back and heap-merges when the segment is written: a fifth of a full build went
to that. Here each field's postings are four flat arrays (term number,
document, weight, value length) and one byte string of values, 20 bytes a
posting plus its value, so a worker's whole share fits and nothing is ever
spilled; the postings are put in whoosh's order (field, term, document) by one
numpy sort per field when the segment is written.
"""

from __future__ import annotations

from array import array
from typing import Any, Iterator, NamedTuple, Sequence, cast

import numpy as np


class SortedPostings(NamedTuple):
    """A field's postings by term, then document: term i's are those from bounds[i] to
    bounds[i + 1]; posting j's value is ``held[starts[j]:ends[j]]``."""

    terms: list[bytes]
    bounds: np.ndarray  # int64, one more than terms
    docs: np.ndarray  # int32
    weights: np.ndarray  # float64
    starts: np.ndarray  # int64
    ends: np.ndarray  # int64
    held: bytes

    def values(self, start: int, end: int) -> list[bytes]:
        """The values of postings ``start`` to ``end``, each a bytes object of its own (as
        whoosh's pool reads them back)."""
        held = self.held
        return [held[i:j] for i, j in zip(self.starts[start:end].tolist(),
                                          self.ends[start:end].tolist())]


class _FieldPostings:
    """The postings of one field, in the order they were added."""

    __slots__ = ("terms", "term_ids", "docs", "weights", "lengths", "values")

    def __init__(self):
        self.terms: dict[bytes, int] = {}  # term -> its number, in order of first sight
        self.term_ids = array("i")
        self.docs = array("i")
        self.weights = array("d")
        self.lengths = array("I")
        self.values = bytearray()

    def add(self, tbytes: bytes, docnum: int, weight: float, vbytes: bytes | None) -> None:
        terms = self.terms
        term = terms.get(tbytes)
        if term is None:
            term = terms[tbytes] = len(terms)
        self.term_ids.append(term)
        self.docs.append(docnum)
        self.weights.append(weight)
        if vbytes:  # whoosh writes no value (None) as an empty one
            self.lengths.append(len(vbytes))
            self.values += vbytes
        else:
            self.lengths.append(0)

    def add_document(self, docnum: int, boost: float, items: list[tuple]) -> None:
        """Add the postings of one document: (term bytes, frequency, weight, value bytes) each."""
        # a column at a time: a document has hundreds of postings, most of known terms
        texts, _, weights, values = zip(*items)
        if None in values:  # whoosh writes no value (None) as an empty one
            values = tuple(v or b"" for v in values)
        self.add_columns(docnum, list(texts), weights if boost == 1.0 else
                         [w * boost for w in weights], list(values))

    def add_columns(self, docnum: int, texts: list[bytes], weights: Sequence,
                    values: list[bytes]) -> None:
        """Add the postings of one document as columns: term bytes, weights, value bytes."""
        terms = self.terms
        ids: list[int | None] = list(map(terms.get, texts))
        if None in ids:
            for i, text in enumerate(texts):
                if ids[i] is None:
                    ids[i] = terms.setdefault(text, len(terms))
        self.term_ids.extend(cast("list[int]", ids))
        self.weights.extend(weights)
        self.lengths.extend(map(len, values))
        self.values += b"".join(values)
        self.docs.extend([docnum] * len(texts))

    def sort(self) -> "SortedPostings | None":
        """The postings in whoosh's order (term, then document), as arrays; None if none.

        Each term's postings come in document order, as the codec wants them.
        What is held is let go of.
        """
        names = list(self.terms)
        if not names:
            return None
        by_rank = sorted(range(len(names)), key=names.__getitem__)
        rank = np.empty(len(names), np.int32)
        rank[by_rank] = np.arange(len(names), dtype=np.int32)
        ranks = rank[np.frombuffer(self.term_ids, np.int32)]
        docs = np.frombuffer(self.docs, np.int32)
        # one stable sort by (term rank, document); postings of a term were added in
        # document order, so this moves whole runs
        key = ranks.astype(np.int64) * (int(docs.max()) + 2) + docs
        order = np.argsort(key, kind="stable")
        del key
        bounds = np.zeros(len(names) + 1, np.int64)
        np.cumsum(np.bincount(ranks, minlength=len(names)), out=bounds[1:])
        del ranks
        lengths = np.frombuffer(self.lengths, np.uint32)
        starts = np.zeros(len(lengths) + 1, np.int64)
        np.cumsum(lengths, out=starts[1:])
        held = bytes(self.values)
        self.values = bytearray()
        return SortedPostings([names[i] for i in by_rank], bounds, docs[order],
                              np.frombuffer(self.weights, np.float64)[order],
                              starts[:-1][order], starts[1:][order], held)

    def by_term(self) -> Iterator[tuple[bytes, list, list, list]]:
        """(term, documents, weights, values) of each term, in term order."""
        found = self.sort()
        if found is None:
            return
        docs, weights = found.docs, found.weights
        # lists a term at a time: a list of every posting would cost 30 times the arrays
        for term, (a, b) in zip(found.terms, zip(found.bounds[:-1].tolist(),
                                                 found.bounds[1:].tolist())):
            yield term, docs[a:b].tolist(), weights[a:b].tolist(), found.values(a, b)

    def sorted_postings(self, fieldname: str) -> Iterator[tuple]:
        """(fieldname, term, document, weight, value) by term, then document."""
        for term, docs, weights, values in self.by_term():
            for doc, weight, value in zip(docs, weights, values):
                yield fieldname, term, doc, weight, value


class CompactPool:
    """What whoosh's writer asks of its posting pool: ``add``, ``iter_postings``, ``cleanup``."""

    def __init__(self):
        self._fields: dict[str, _FieldPostings] = {}

    def add(self, item: tuple[str, bytes, int, float, Any]) -> None:
        """Add one posting: (fieldname, term bytes, document number, weight, value bytes)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        field = self._fields.get(fieldname)
        if field is None:
            field = self._fields[fieldname] = _FieldPostings()
        field.add(tbytes, docnum, weight, vbytes)

    def add_document_field(self, fieldname: str, docnum: int, boost: float,
                           items: list[tuple]) -> None:
        """Add one document's postings of a field: (term bytes, frequency, weight, value bytes) each."""
        if not items:
            return
        field = self._fields.get(fieldname)
        if field is None:
            field = self._fields[fieldname] = _FieldPostings()
        field.add_document(docnum, boost, items)

    def add_columns(self, fieldname: str, docnum: int, texts: list[bytes], weights: Sequence,
                    values: list[bytes]) -> None:
        """Add one document's postings of a field as columns: term bytes, weights (numbers),
        value bytes."""
        if not texts:
            return
        field = self._fields.get(fieldname)
        if field is None:
            field = self._fields[fieldname] = _FieldPostings()
        field.add_columns(docnum, texts, weights, values)

    def iter_postings(self) -> Iterator[tuple]:
        """Every posting, by field, term and document, as whoosh writes them."""
        for fieldname, field in self.fields():
            yield from field.sorted_postings(fieldname)

    # whoosh's names for the same
    items = iter_postings

    def cleanup(self) -> None:
        """Drop what is held (there are no run files to remove)."""
        self._fields.clear()

    def postings(self) -> int:
        """How many postings are held."""
        return sum(len(f.docs) for f in self._fields.values())

    def fields(self) -> Iterator[tuple[str, _FieldPostings]]:
        """Each field's postings, in field order, let go of as they are read."""
        for fieldname in sorted(self._fields):
            yield fieldname, self._fields.pop(fieldname)
