"""A posting pool that holds a whole segment's postings in memory, compactly.

Whoosh's own pool keeps each posting as a tuple of five Python objects (about
200 bytes) and, past its size limit, pickles them to run files that it reads
back and heap-merges when the segment is written: a fifth of a full build went
to that. Here each field's postings are four flat arrays (term number,
document, weight, value length) and one byte string of values, 20 bytes a
posting plus its value, so a worker's whole share fits and nothing is ever
spilled; the postings are put in whoosh's order (field, term, document) by one
numpy sort per field when the segment is written. A text's postings keep their
positions instead of values (a count and 4 bytes a position), whose values
(:mod:`kb.engine.positionvalues`) are made when they are written.
"""

from __future__ import annotations

from array import array
from itertools import chain
from typing import Any, Iterable, Iterator, NamedTuple, Sequence, cast

import numpy as np

from kb.engine.positionvalues import encode, gaps_of

# postings whose values are made together when a segment is written
VALUES_RUN = 1 << 16


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

    __slots__ = ("terms", "as_text", "term_ids", "docs", "weights", "lengths", "values",
                 "counts", "positions")

    def __init__(self):
        # term -> its number, in order of first sight; the terms of texts kept as
        # positions are kept as text, each encoded once when written, not once a posting
        self.terms: dict[Any, int] = {}
        self.as_text = True
        self.term_ids = array("i")
        self.docs = array("i")
        self.weights = array("d")  # once values are bytes: while positions are, a count
        self.lengths = array("I")
        self.values = bytearray()
        # a text's postings are kept as their positions (counts, then all end to end),
        # their values made when they are written; until a value comes as bytes
        self.counts: array | None = array("I")
        self.positions = array("i")

    def _as_values(self) -> None:
        """Keep values and terms as bytes from now on, those of postings kept as positions
        made now."""
        if self.counts is None:
            return
        self.terms = {text.encode("utf-8"): n for text, n in self.terms.items()}
        self.as_text = False
        if self.counts:
            counts = np.frombuffer(self.counts, np.uint32).astype(np.int64)
            self.weights = array("d", counts.astype(np.float64).tobytes())
            held, starts, ends = encode(counts, gaps_of(counts, np.frombuffer(self.positions,
                                                                              np.int32)))
            self.values = bytearray(held)
            self.lengths = array("I", (ends - starts).astype(np.uint32).tobytes())
        self.counts = None
        self.positions = array("i")

    def add_positions(self, docnum: int, grouped: dict[str, list[int]]) -> None:
        """Add the postings of one document's text: each term's positions (its weight is how
        many)."""
        positions = grouped.values()
        counts = list(map(len, positions))
        if self.counts is None:  # values and terms kept as bytes
            held, starts, ends = encode(np.array(counts, np.int64), gaps_of(
                np.array(counts, np.int64), np.fromiter(chain.from_iterable(positions), np.int64)))
            self.add_columns(docnum, [text.encode("utf-8") for text in grouped], counts,
                             [held[a:b] for a, b in zip(starts.tolist(), ends.tolist())])
            return
        # (array.fromlist is several times faster than extend; the weights, which are the
        # counts, are made when the values are)
        self._add_terms(grouped)
        self.counts.fromlist(counts)
        self.positions.fromlist(list(chain.from_iterable(positions)))
        self.docs += array("i", (docnum,)) * len(counts)

    def _add_terms(self, texts: Iterable) -> None:
        terms = self.terms
        ids: list[int | None] = list(map(terms.get, texts))
        if None in ids:  # numbered in any order: they are only ever sorted by term
            new = set(texts).difference(terms)
            terms.update(zip(new, range(len(terms), len(terms) + len(new))))
            ids = list(map(terms.__getitem__, texts))
        self.term_ids.fromlist(cast("list[int]", ids))

    def add(self, tbytes: bytes, docnum: int, weight: float, vbytes: bytes | None) -> None:
        self._as_values()
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
        self._as_values()
        self._add_terms(texts)
        self.weights.fromlist(list(weights))
        self.lengths.fromlist(list(map(len, values)))
        self.values += b"".join(values)
        self.docs += array("i", (docnum,)) * len(texts)

    def sort(self) -> "SortedPostings | None":
        """The postings in whoosh's order (term, then document), as arrays; None if none.

        Each term's postings come in document order, as the codec wants them.
        What is held is let go of.
        """
        names = list(self.terms)
        if not names:
            return None
        # text sorts as its UTF-8 bytes do (both by code point)
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
        if self.counts is not None:  # values made now, in the order they are written
            weights = np.frombuffer(self.counts, np.uint32).astype(np.float64)
            held, starts, ends = self._values_of(self.counts, order)
        else:
            lengths = np.frombuffer(self.lengths, np.uint32)
            offsets = np.zeros(len(lengths) + 1, np.int64)
            np.cumsum(lengths, out=offsets[1:])
            held, starts, ends = bytes(self.values), offsets[:-1][order], offsets[1:][order]
            self.values = bytearray()
            weights = np.frombuffer(self.weights, np.float64)
        ranked = [names[i] for i in by_rank]
        if self.as_text:
            ranked = [text.encode("utf-8") for text in ranked]
        return SortedPostings(ranked, bounds, docs[order], weights[order], starts, ends, held)

    def _values_of(self, kept: array, order: np.ndarray) -> tuple[bytes, np.ndarray, np.ndarray]:
        """(bytes, starts, ends) of the values of postings kept as positions (``kept``
        counts), in ``order``, made a run of postings at a time (the arrays of a run are
        8 bytes a position)."""
        counts = np.frombuffer(kept, np.uint32).astype(np.int64)
        positions = np.frombuffer(self.positions, np.int32)
        firsts = np.cumsum(counts) - counts
        parts, starts, ends, at = [], [], [], 0
        for start in range(0, len(order), VALUES_RUN):
            chosen = order[start:start + VALUES_RUN]
            wanted = counts[chosen]
            run_firsts = np.cumsum(wanted) - wanted
            taken = np.repeat(firsts[chosen] - run_firsts, wanted) + np.arange(int(wanted.sum()))
            held, run_starts, run_ends = encode(wanted, gaps_of(wanted, positions[taken]))
            parts.append(held)
            starts.append(run_starts + at)
            ends.append(run_ends + at)
            at += len(held)
        self.counts, self.positions = array("I"), array("i")
        if not parts:
            return b"", np.zeros(0, np.int64), np.zeros(0, np.int64)
        return b"".join(parts), np.concatenate(starts), np.concatenate(ends)

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
        self._field(fieldname).add(tbytes, docnum, weight, vbytes)

    def add_document_field(self, fieldname: str, docnum: int, boost: float,
                           items: list[tuple]) -> None:
        """Add one document's postings of a field: (term bytes, frequency, weight, value bytes) each."""
        if items:
            self._field(fieldname).add_document(docnum, boost, items)

    def add_positions(self, fieldname: str, docnum: int, grouped: dict[str, list[int]]) -> None:
        """Add one document's postings of a text field: each term's positions (its weight is
        how many)."""
        if grouped:
            self._field(fieldname).add_positions(docnum, grouped)

    def _field(self, fieldname: str) -> _FieldPostings:
        found = self._fields.get(fieldname)
        if found is None:
            found = self._fields[fieldname] = _FieldPostings()
        return found

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
