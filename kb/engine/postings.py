"""Matching and scoring queries over posting arrays instead of whoosh's matchers.

Whoosh steps through every match in Python, about 10 µs each, and a common
word matches half the sessions: that was most of a search's time. Here a
term's postings are read once per index generation into numpy arrays and a
query is answered with array operations. Scores are whoosh's own BM25F, term
for term and boost for boost (the tests compare them). This reads whoosh's
internals: :mod:`kb.engine.compat` says whether it may, and
:func:`public_matches` answers the same through whoosh's public API.
"""

import itertools
from bisect import bisect_left
from math import log
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from kb.engine import query as Q
from kb.engine.sidecar import Sidecar, gather, position_gaps, sidecar_name
from kb.engine.translate import to_whoosh
from kb.ranking import intersection, union

# Postings kept per process: the terms of a few thousand searches at 10k sessions.
# (32 MB: every term two hundred searches of each kind read at 10k sessions took 26 MB;
# at 16 MB they pushed each other out and every search read its terms again)
MAX_BYTES = 32 * 2**20
DECODED_BYTES = 100  # a posting's positions once decoded: a small list of ints
# a phrase asking the positions of 1 in this many of a term's postings or more reads
# them all (most blocks hold one), and keeps them
FETCH_ALL = 16
MAX_ABSENT = 200_000  # terms remembered as in no document (a query's alternatives mostly are)
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def held_in(docs, others) -> np.ndarray:
    """The numbers of ``docs`` that are in ``others`` (both ascending).

    Looked up from the shorter side: a phrase's rarest word has a few hundred
    documents, its commonest tens of thousands, and sorting both together
    (np.intersect1d) cost a count most of its time.
    """
    if not len(docs) or not len(others):
        return docs[:0]
    where = np.searchsorted(others, docs)
    where[where == len(others)] = 0
    return docs[others[where] == docs]


def empty() -> tuple[np.ndarray, np.ndarray]:
    """No documents, no scores."""
    return np.empty(0, np.int64), np.empty(0, np.float64)


class TermPostings:
    """One term's postings over the whole index: document numbers, scores, positions."""

    __slots__ = ("docs", "scores", "values", "offsets", "decode", "decoded", "fetch", "arrays")

    def __init__(self, docs, scores) -> None:
        self.docs = docs  # int64, ascending, deleted documents left out
        self.scores = scores  # float64: whoosh's score of the term in each document
        # raw posting values end to end, decoded only where a phrase asks:
        # posting i's is values[offsets[i]:offsets[i + 1]]
        self.values: Any = None  # bytes, once keep_values has run
        self.offsets: Any = None  # int64 array
        self.decode: Any = None  # bytes -> positions
        self.decoded = {}  # posting index -> positions
        # or, for postings read from the segments' arrays, what reads the positions
        # of some postings from whoosh's blocks: [posting index] -> [positions]
        self.fetch: Any = None
        # or, where the segments' arrays keep positions, what reads them as positions() does
        self.arrays: Any = None

    @property
    def has_positions(self) -> bool:
        """Whether the positions of the postings can be had."""
        return self.values is not None or self.fetch is not None or self.arrays is not None

    def keep_values(self, values, decode) -> None:
        """Keep the raw values of the postings, one bytes object each, as one block."""
        self.offsets = np.zeros(len(values) + 1, np.int64)
        np.cumsum(np.fromiter(map(len, values), np.int64, len(values)), out=self.offsets[1:])
        self.values = b"".join(values)
        self.decode = decode

    def fetch_positions(self, fetch, decode) -> None:
        """Read raw values with ``fetch`` as positions are asked for (a list of posting
        indexes, or None for all) and keep what they decode to."""
        self.fetch = fetch
        self.decode = decode

    @property
    def size(self) -> int:
        """Bytes held, roughly."""
        held = self.docs.nbytes + self.scores.nbytes + DECODED_BYTES * len(self.decoded)
        if self.values is not None:
            held += len(self.values) + self.offsets.nbytes
        return held

    def positions(self, where) -> tuple[np.ndarray, np.ndarray]:
        """(row, position) pairs of postings ``where``: row i for where[i].

        A common word has thousands of postings, and a phrase needs the
        positions of the few documents that hold all its words.
        """
        if self.arrays is not None:
            return self.arrays(where)
        decoded = self.decoded
        wanted = where.tolist()
        if self.fetch is not None:
            missing = [i for i in wanted if i not in decoded]
            if len(missing) * FETCH_ALL >= len(self.docs):
                # most blocks would be read anyway: read them all once, and keep the values
                self.keep_values(self.fetch(None), self.decode)
                self.fetch = None
            elif missing:
                # tuples of ints: the garbage collector stops tracking them
                decoded.update(zip(missing, map(tuple, map(self.decode, self.fetch(missing)))))
        lists = []
        values, offsets, decode = self.values, self.offsets, self.decode
        for i in wanted:
            found = decoded.get(i)
            if found is None:
                found = decoded[i] = tuple(decode(values[offsets[i]:offsets[i + 1]]))
            lists.append(found)
        counts = np.fromiter(map(len, lists), np.int64, len(lists))
        rows = np.repeat(np.arange(len(lists)), counts)
        return rows, np.fromiter(itertools.chain.from_iterable(lists), np.int64, int(counts.sum()))


class PostingArrays:
    """Answers queries of one index generation over posting arrays.

    Built per generation; callers hold the searcher's lock. The postings of
    the terms asked for last are kept, up to ``max_bytes``.
    """

    def __init__(self, searcher, max_bytes=MAX_BYTES) -> None:
        reader = searcher.reader()
        self.doc_count = reader.doc_count_all()
        self.max_bytes = max_bytes
        self._terms = OrderedDict()  # (fieldname, bytes) -> TermPostings, latest last
        # Most alternatives of a word (other spellings, glosses, each in six fields)
        # are in no document: finding that out looks the term up in every segment
        self._absent: set = set()
        self._held = 0
        self._lengths = {}
        self.live = np.ones(self.doc_count, dtype=bool)
        for leaf, base in reader.leaf_readers():
            if leaf.has_deletions():
                for n in leaf.deleted_docs_set:
                    self.live[base + n] = False
        weighting = searcher.weighting
        # another model's scores would differ: let whoosh score them
        self.bm25 = type(weighting) is BM25F
        # each segment's arrays; a segment without is read through whoosh's blocks (and
        # an index where none has them exactly as it always was)
        self._sidecars = open_sidecars(reader)
        # term tables answer prefixes and frequencies when every segment has one
        tables = [sidecar for sidecar, _, _ in self._sidecars or ()]
        self._tables: list[Sidecar] | None = (
            [t for t in tables if t is not None] if tables and all(tables) else None)

    def close(self) -> None:
        """Let go of the segments' arrays."""
        for sidecar, _, _ in self._sidecars or ():
            if sidecar is not None:
                sidecar.close()
        self._sidecars = self._tables = None

    @property
    def held(self) -> int:
        """Bytes of postings kept."""
        return self._held

    @property
    def kept(self) -> int:
        """How many terms' postings are kept."""
        return len(self._terms)

    # -- matching ------------------------------------------------------------

    def matches(self, searcher, query, memo=None) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, scores) of every match of ``query``, numbers ascending.

        ``memo``, a dict, keeps what phrases and compounds matched: the parts
        of one search share most of their subqueries (a word, then the same
        word or its parts, then its words apart). Callers own it and drop it.
        """
        kind = type(query)
        if kind is Q.Nothing:
            return empty()
        if not self.bm25 or kind is Q.Every:
            return public_matches(searcher, query)
        if kind is Q.Term:
            return self._term(searcher, query)
        if memo is not None and kind is not Q.Term:
            found = memo.get(query)
            if found is None:
                found = memo[query] = self._matches(searcher, query, memo)
            return found
        return self._matches(searcher, query, memo)

    def matching(self, searcher, query, memo=None) -> np.ndarray:
        """The document numbers of every match of ``query``, ascending: what a count needs.

        No scores; the alternatives of an Or are marked in one array of flags,
        and a phrase's positions are read only for documents no other
        alternative matched. A phrase of an alternative that one of its words
        already matches in the same field is not read at all: every match of
        it is one of that word's. A word's compounds are such phrases
        (テスト フレームワーク beside フレームワーク), and reading their
        positions was most of a count's time.
        """
        if memo is not None and query in memo:
            return memo[query][0]
        kind = type(query)
        if not self.bm25 or kind not in (Q.Or, Q.And, Q.Term, Q.ConstantScore):
            return self.matches(searcher, query, memo)[0]
        if kind is Q.Term:
            return self._term(searcher, query)[0]
        if kind is Q.ConstantScore:
            return self.matching(searcher, query.child, memo)
        if kind is Q.And:
            parts = sorted((self.matching(searcher, q, memo) for q in query.subqueries), key=len)
            found = parts[0] if parts else np.empty(0, np.int64)
            for other in parts[1:]:
                found = held_in(found, other)
            return found
        marked = np.zeros(self.doc_count, bool)
        self._mark(searcher, query, memo, frozenset(), marked)
        return np.flatnonzero(marked)

    def _mark(self, searcher, query, memo, covered, marked) -> None:
        """Flag in ``marked`` the matches of an Or's alternatives, phrases last."""
        subs = query.subqueries
        covered = covered | {(q.fieldname, q.text) for q in subs if type(q) is Q.Term}
        phrases = []
        for q in subs:
            if type(q) is Q.Or:
                self._mark(searcher, q, memo, covered, marked)
            elif type(q) is Q.Phrase:
                if all((q.fieldname, w) not in covered for w in q.words):
                    phrases.append(q)
            else:
                marked[self.matching(searcher, q, memo)] = True
        for q in phrases:
            found = memo.get(q) if memo is not None else None
            docs = found[0] if found is not None else self._phrase(searcher, q, skip=marked)[0]
            marked[docs] = True

    def _matches(self, searcher, query, memo):
        kind = type(query)
        if kind is Q.Or:
            return self._compound(searcher, query, union, memo)
        if kind is Q.And:
            return self._compound(searcher, query, intersection, memo)
        if kind is Q.AndNot:
            docs, scores = self.matches(searcher, query.positive, memo)
            drop = self.matches(searcher, query.negative, memo)[0]
            keep = ~np.isin(docs, drop, assume_unique=True)
            return docs[keep], scores[keep]
        if kind is Q.Phrase:
            return self._phrase(searcher, query)
        if kind is Q.ConstantScore:
            docs = self.matches(searcher, query.child, memo)[0]
            return docs, np.full(len(docs), float(query.score))
        raise TypeError(f"not a kb query: {query!r}")

    def _compound(self, searcher, query, join, memo):
        subs = query.subqueries
        if not subs:
            return empty()
        if len(subs) == 1:  # whoosh hands a single subquery over, boost and all dropped
            return self.matches(searcher, subs[0], memo)
        found = [self.matches(searcher, q, memo) for q in subs]
        found = [f for f in found if len(f[0])] if join is union else found
        if not found:
            return empty()
        docs, scores = join(found) if len(found) > 1 else found[0]
        if query.boost != 1.0:
            scores = scores * query.boost
        return docs, scores

    def _term(self, searcher, query):
        found = self.postings(searcher, query.fieldname, query.text)
        if found is None:
            return empty()
        if query.boost != 1.0:
            return found.docs, found.scores * query.boost
        return found.docs, found.scores

    def _phrase(self, searcher, query, skip=None):
        """Whoosh's SpanNear2: each word within ``slop`` positions after the one before.

        A phrase scores the sum of its words' scores, as whoosh's does.
        ``skip``: flags of documents not to look at (already counted).

        What a phrase matched is kept with the terms' postings: a word's
        compounds and other spellings are phrases, read again by every query
        holding the word, and reading positions is most of a phrase's cost.
        """
        field = searcher.schema[query.fieldname] if query.fieldname in searcher.schema else None
        if field is None or not query.words:
            return empty()
        if not field.format or not field.format.supports("positions"):
            return public_matches(searcher, query)  # whoosh says why it cannot
        key = (query.fieldname, query.words, query.slop)
        kept = self._terms.get(key)
        if kept is not None:
            self._terms.move_to_end(key)
            docs, scores = kept.docs, kept.scores
            if skip is not None:
                keep = ~skip[docs]
                docs, scores = docs[keep], scores[keep]
        elif key in self._absent:
            return empty()
        else:
            docs, scores = self._read_phrase(searcher, query, skip)
            if skip is None:
                self._keep_found(key, docs, scores)
        if query.boost != 1.0:
            scores = scores * query.boost
        return docs, scores

    def _read_phrase(self, searcher, query, skip):
        """:meth:`_phrase` read from the words' positions, its scores not boosted."""
        words: list[TermPostings] = []
        keys = []
        for word in query.words:
            found = self.postings(searcher, query.fieldname, word, positions=True)
            if found is None:
                return empty()
            words.append(found)
            keys.append(_key(searcher, query.fieldname, word))
        rarest = min(words, key=lambda found: len(found.docs))
        docs = rarest.docs
        if skip is not None:
            docs = docs[~skip[docs]]
        for found in words:
            if found is not rarest:  # (whose documents these are)
                docs = held_in(docs, found.docs)
        if not len(docs):
            return empty()
        spans: tuple[np.ndarray, np.ndarray] | None = None
        scores = np.zeros(len(docs))
        for key, found in zip(keys, words):
            where = np.searchsorted(found.docs, docs)
            scores = scores + found.scores[where]
            kept = self._terms.get(key) is found
            before = found.size
            pairs = found.positions(where)  # (candidate index, position)
            if kept:  # still kept: count what it decoded
                self._held += found.size - before
            spans = pairs if spans is None else _follow(spans, pairs, query.slop)
            if not len(spans[0]):
                return empty()
        if spans is None:  # a phrase has words
            return empty()
        hit = np.unique(spans[0])
        return docs[hit], scores[hit]

    def _keep_found(self, key, docs, scores) -> None:
        """Keep what a phrase matched (an empty match as absent)."""
        if not len(docs):
            self._absent_add(key)
            return
        self._keep(key, TermPostings(docs, scores))

    def _absent_add(self, key) -> None:
        if len(self._absent) >= MAX_ABSENT:
            self._absent.clear()
        self._absent.add(key)

    def _keep(self, key, found) -> None:
        """Keep a term's (or a phrase's) postings, letting go of the least recently used."""
        self._terms[key] = found
        self._held += found.size
        while self._held > self.max_bytes and len(self._terms) > 1:
            _, dropped = self._terms.popitem(last=False)
            self._held -= dropped.size

    # -- postings -----------------------------------------------------------

    def postings(self, searcher, fieldname, text, positions=False) -> TermPostings | None:
        """The :class:`TermPostings` of a term, or None when no document has it."""
        key = _key(searcher, fieldname, text)
        if key is None or key in self._absent:
            return None
        found = self._terms.get(key)
        if found is not None and (found.has_positions or not positions):
            self._terms.move_to_end(key)
            return found
        docs, weights, values, frequency = self._read(searcher, key, positions)
        if not len(docs):
            self._absent_add(key)
            return None
        if found is None:
            found = TermPostings(docs, self._scores(searcher, key, docs, weights, frequency))
        else:
            self._held -= found.size
        if positions and callable(values):  # read from the segments' arrays
            found.arrays = values
        elif positions and self._sidecars is not None:
            found.fetch_positions(
                lambda wanted: self._values(searcher, key, found.docs, wanted),
                _decoder(searcher.schema[fieldname].format))
        elif positions:
            found.keep_values(values, _decoder(searcher.schema[fieldname].format))
        self._keep(key, found)
        return found

    def frequency(self, searcher, fieldname, text) -> int | None:
        """How many documents hold a term, deleted ones too, as whoosh counts; None when
        the segments' arrays cannot tell."""
        key = _key(searcher, fieldname, text)
        if self._tables is None or key is None:
            return None
        total = 0
        for sidecar in self._tables:
            number = sidecar.find(*key)
            if number >= 0:
                total += sidecar.frequency(fieldname, number)
        return total

    def with_prefix(self, fieldname, prefix: bytes, limit) -> list[bytes] | None:
        """Up to ``limit`` terms of a field that start with ``prefix``, in order; None
        when the segments' arrays cannot tell."""
        if self._tables is None:
            return None
        found: set[bytes] = set()
        for sidecar in self._tables:
            found.update(sidecar.with_prefix(fieldname, prefix, limit))
        return sorted(found)[:limit]

    def docs(self, searcher, fieldname, text) -> np.ndarray:
        """The document numbers of a term, read afresh (not kept): for one-off reads."""
        key = _key(searcher, fieldname, text)
        return np.empty(0, np.int64) if key is None else self._read(searcher, key, False)[0]

    def _read(self, searcher, key, values):
        """Document numbers, weights, raw values (when asked) and document frequency of a
        term, whole index; the frequency counts deleted documents, as whoosh's does.

        Read from the segments' arrays, the values are what reads the positions of
        some postings from them, where every segment keeps them (see
        :meth:`_read_arrays`), else None (see :meth:`_values`).
        """
        if self._sidecars is not None:
            return self._read_arrays(key, values)
        fieldname, text = key
        docs: Any = []  # a list while reading, then an array
        weights: Any = []
        raw = []
        frequency = 0
        for leaf, base in searcher.reader().leaf_readers():
            frequency += _read_leaf(leaf, base, fieldname, text, docs, weights,
                                    raw if values else None)
        docs = np.array(docs, dtype=np.int64)
        weights = np.array(weights, dtype=np.float64)
        keep = self.live[docs]
        if not keep.all():
            docs, weights = docs[keep], weights[keep]
            raw = list(itertools.compress(raw, keep)) if values else raw
        return docs, weights, raw, frequency

    def _read_arrays(self, key, positions=False):
        """:meth:`_read` from the segments' arrays, and through whoosh for a segment
        without; with ``positions``, and when every segment holding the term keeps
        them, what reads positions as :meth:`TermPostings.positions` does."""
        fieldname, text = key
        docs, weights, held = [], [], []
        frequency = 0
        for sidecar, leaf, base in self._sidecars or ():
            if sidecar is None:
                found_docs: list = []
                found_weights: list = []
                frequency += _read_leaf(leaf, base, fieldname, text, found_docs, found_weights)
                if found_docs:
                    docs.append(np.array(found_docs, dtype=np.int64))
                    weights.append(np.array(found_weights, dtype=np.float64))
                    held.append(None)
                continue
            number = sidecar.find(fieldname, text)
            if number < 0:
                continue
            frequency += sidecar.frequency(fieldname, number)
            found, weighed = sidecar.postings(fieldname, number)
            docs.append(found + base if base else found)
            weights.append(weighed)
            held.append((sidecar, number) if sidecar.has_positions(fieldname) else None)
        if not docs:
            return np.empty(0, np.int64), np.empty(0), None, frequency
        joined = np.concatenate(docs) if len(docs) > 1 else docs[0]
        weighed = np.concatenate(weights) if len(weights) > 1 else weights[0]
        keep = self.live[joined]
        kept = None
        if not keep.all():
            joined, weighed, kept = joined[keep], weighed[keep], np.flatnonzero(keep)
        reader = None
        if positions and all(held):
            reader = _PositionReader(fieldname, held, weights, kept)
        return joined, weighed, reader, frequency

    def _values(self, searcher, key, docs, wanted) -> list:
        """The raw values of a term's postings ``wanted`` (ascending; None: all) of ``docs``,
        read from whoosh's blocks: only the blocks that hold them are decoded."""
        fieldname, text = key
        targets = docs.tolist() if wanted is None else docs[wanted].tolist()
        found: list = []
        for leaf, base in searcher.reader().leaf_readers():
            end = base + leaf.doc_count_all()
            start = len(found)
            if start == len(targets) or targets[start] >= end:
                continue
            mine = [n - base for n in itertools.takewhile(lambda n: n < end, targets[start:])]
            matcher = leaf.postings(fieldname, text)
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child  # deleted documents are never asked for
            found += _values_of(matcher, mine)
        return found

    def _scores(self, searcher, key, docs, weights, frequency):
        """Whoosh's BM25F scores of a term, in the order of its operations."""
        fieldname, _ = key
        if not searcher.schema[fieldname].scorable:
            return weights  # whoosh's WeightScorer
        model = searcher.weighting
        B = model._field_B.get(fieldname, model.B)
        K1 = model.K1
        # whoosh's idf (WeightingModel.idf), from the frequency the read found
        idf = log(searcher.get_parent().doc_count_all() / (frequency + 1)) + 1
        avgfl = searcher.avg_field_length(fieldname) or 1
        fl = self._field_lengths(searcher, fieldname)[docs]
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))

    def _field_lengths(self, searcher, fieldname):
        """Every document's length of a field, as whoosh stores it (one byte, decoded)."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = np.ones(self.doc_count, dtype=np.float64)  # whoosh's default
            for leaf, base in searcher.reader().leaf_readers():
                column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                if column is not None:
                    # one byte a document, read at once rather than one by one
                    codes = np.frombuffer(column._dbfile.get(column._basepos, column._count),
                                          dtype=np.uint8)
                    found[base:base + leaf.doc_count_all()] = 0  # documents past the column
                    found[base:base + len(codes)] = _LENGTHS[codes]
            self._lengths[fieldname] = found
        return found


class _PositionReader:
    """Reads (row, position) pairs of some of a term's postings from the segments' arrays,
    as :meth:`TermPostings.positions` gives them."""

    __slots__ = ("fieldname", "segments", "weights", "bounds", "kept", "tables")

    def __init__(self, fieldname, segments, weights, kept) -> None:
        self.fieldname = fieldname
        self.segments = segments  # (sidecar, term number) of each segment holding the term
        self.weights = weights  # each segment's weights of the term, as read
        self.bounds = np.cumsum([0, *map(len, weights)])  # where each segment's postings start
        self.kept = kept  # the postings of live documents, when some are deleted
        self.tables: list = [None] * len(segments)  # each segment's, once read

    def __call__(self, where) -> tuple[np.ndarray, np.ndarray]:
        wanted = self.kept[where] if self.kept is not None else where
        cuts = np.searchsorted(wanted, self.bounds)
        rows, positions = [], []
        for i, (lo, hi) in enumerate(zip(cuts, cuts[1:])):
            if lo == hi:
                continue
            table = self.tables[i]
            if table is None:
                sidecar, number = self.segments[i]
                table = self.tables[i] = sidecar.positions(self.fieldname, number,
                                                           self.weights[i])
            starts, gaps = table
            found_rows, found = gather(starts, gaps, wanted[lo:hi] - self.bounds[i])
            rows.append(found_rows + lo)
            positions.append(found)
        if len(rows) == 1:
            return rows[0], positions[0]
        if not rows:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        return np.concatenate(rows), np.concatenate(positions)


def open_sidecars(reader) -> list[tuple[Sidecar | None, Any, int]] | None:
    """(its arrays or None, its reader, its first document number) of each segment, or None
    when no segment has arrays."""
    found = []
    for leaf, base in reader.leaf_readers():
        segment, storage = getattr(leaf, "_segment", None), getattr(leaf, "_storage", None)
        folder = getattr(storage, "folder", None)
        sidecar = None
        if segment is not None and folder is not None:
            sidecar = Sidecar.open(Path(folder) / sidecar_name(segment))
        found.append((sidecar, leaf, base))
    return found if any(sidecar for sidecar, _, _ in found) else None


def _read_leaf(leaf, base, fieldname, text, docs, weights, values=None) -> int:
    """Append one segment's postings of a term, read through whoosh, to ``docs`` (numbered
    from ``base``), ``weights`` and ``values`` (when given); return its document frequency."""
    try:  # one lookup of the term where asking first looked it up twice
        frequency = leaf.term_info(fieldname, text).doc_frequency()
    except TermNotFound:
        return 0
    matcher = leaf.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deleted documents are dropped later, all at once
    start = len(docs)
    _read_matcher(matcher, docs, weights, values)
    if base:
        docs[start:] = [n + base for n in docs[start:]]
    return frequency


def _key(searcher, fieldname, text):
    """(field name, term bytes) of a term, or None when the field or the text cannot be."""
    if fieldname not in searcher.schema:
        return None
    try:
        return fieldname, searcher.schema[fieldname].to_bytes(text)
    except ValueError:
        return None


def _read_matcher(matcher, docs, weights, values):
    """Append a leaf matcher's postings, a block at a time where whoosh lays them out so."""
    if type(matcher) is W3LeafMatcher:
        while True:
            matcher._read_ids()
            docs.extend(matcher._ids)
            matcher._read_weights()
            weights.extend(matcher._weights)
            if values is not None:
                matcher._read_values()
                values.extend(matcher._values)
            if matcher._lastblock:
                return
            matcher._goto(matcher._nextoffset)
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        if values is not None:
            values.append(matcher.value())
        matcher.next()


def _decoder(fmt):
    """Raw value -> positions of a field's format: for whoosh's Positions, its decoding
    (deltas pickled after a 4-byte count, summed) without its loop in Python."""
    if type(fmt) is not Positions:
        return fmt.decode_positions
    return lambda value: tuple(itertools.accumulate(position_gaps(value)))


def _values_of(matcher, wanted):
    """The raw values of postings of documents ``wanted`` (ascending, each held), decoding
    only the blocks that hold them where whoosh lays postings out so."""
    if type(matcher) is not W3LeafMatcher:
        for docnum in wanted:
            matcher.skip_to(docnum)
            yield matcher.value()
        return
    at = 0
    while at < len(wanted):
        while matcher._maxid < wanted[at]:  # a block's last id is in its header
            matcher._goto(matcher._nextoffset)
        matcher._read_ids()
        matcher._read_values()
        ids, values, last = matcher._ids, matcher._values, matcher._maxid
        while at < len(wanted) and wanted[at] <= last:
            yield values[bisect_left(ids, wanted[at])]
            at += 1
        if at < len(wanted):
            matcher._goto(matcher._nextoffset)


def _follow(spans, pairs, slop):
    """Spans extended by a next word 1 to ``slop`` positions after their end.

    ``spans`` is (row, start, end) or, for the first word, (row, position).
    """
    rows, starts, ends = spans if len(spans) == 3 else (spans[0], spans[1], spans[1])
    next_rows, next_positions = pairs
    keys = (next_rows << 32) | next_positions  # sorted: rows ascending, positions ascending
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    mine = (rows << 32) | ends
    lo = np.searchsorted(keys, mine + 1, side="left")
    hi = np.searchsorted(keys, mine + slop, side="right")
    counts = hi - lo
    if not counts.any():
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    which = np.repeat(np.arange(len(mine)), counts)
    at = np.repeat(lo, counts) + (np.arange(counts.sum())
                                  - np.repeat(np.cumsum(counts) - counts, counts))
    if len(spans) == 2:  # one word's positions extended once: no span comes twice
        return rows[which], starts[which], keys[at] & 0xFFFFFFFF
    return _unique_spans(rows[which], starts[which], keys[at] & 0xFFFFFFFF)


def _unique_spans(rows, starts, ends):
    """(row, start, end) triples without repeats, in order: packed in one integer each
    where they fit (unique over columns of a 3-row array sorted ten times slower)."""
    if rows.max() < 1 << 20 and ends.max() < 1 << 21:  # a span starts before it ends
        packed = np.unique((rows << 42) | (starts << 21) | ends)
        return packed >> 42, (packed >> 21) & 0x1FFFFF, packed & 0x1FFFFF
    extended = np.unique(np.stack([rows, starts, ends]), axis=1)
    return extended[0], extended[1], extended[2]


def public_matches(searcher, query) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, scores) of every match of ``query``, through whoosh's public API.

    The slower path: used when kb may not read whoosh's internals, for kinds
    of query the arrays do not answer, and by the tests as the reference.
    """
    hits = searcher.search(to_whoosh(query), limit=None)
    pairs = sorted((hit.docnum, hit.score) for hit in hits)
    return (np.fromiter((d for d, _ in pairs), np.int64, len(pairs)),
            np.fromiter((s for _, s in pairs), np.float64, len(pairs)))
