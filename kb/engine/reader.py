"""Reading one generation of an index: stored records, terms, postings and matches.

A :class:`Reader` is what the rest of kb knows of an open index: it hands out
stored documents (plain dicts), terms and their document frequencies, the
documents of a term, columns, and the matches of a :mod:`kb.engine.query`
tree with their scores. It is not safe for concurrent use: the search service
holds a lock around it.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.classify import Bo1Model
from whoosh.reading import TermNotFound

from kb.engine import query as Q
from kb.engine.compat import Capabilities
from kb.engine.guard import guarded
from kb.engine.postings import MAX_BYTES, PostingArrays, public_matches

Matches = tuple[np.ndarray, np.ndarray]  # document numbers ascending, scores
MAX_FREQUENCIES = 100_000  # terms whose collection frequency a reader remembers


def _text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


class Reader:
    """One generation of an index, open for reading."""

    def __init__(self, searcher: Any, name: str, caps: Capabilities, path: Path,
                 max_bytes: int | None = None) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self.name = name
        self.caps = caps
        self.path = path  # the index folder, named in errors
        self._frequencies: dict[tuple[str, bytes], float | None] = {}  # see key_terms
        self._columns: dict[tuple[int, str], Any] = {}  # see column_value
        self._arrays = (PostingArrays(searcher, MAX_BYTES if max_bytes is None else max_bytes)
                        if caps.fast_postings else None)

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the index files."""
        if self._arrays is not None:
            self._arrays.close()
        self._searcher.close()

    @property
    def generation(self) -> tuple[str, int]:
        """What tells this generation of the index from any other."""
        return self.name, self._reader.generation() or 0

    @guarded
    def up_to_date(self) -> bool:
        """Whether no commit happened since this reader was opened."""
        return self._searcher.up_to_date()

    @guarded
    def verify(self) -> None:
        """Read a little of every file of every segment; IndexDamagedError if one cannot be.

        Whoosh keeps no checksums: this reads each segment's first and last
        stored document, each field's first term and its postings, and each
        column, which is where a truncated or missing file shows.
        """
        for leaf, _ in self._reader.leaf_readers():
            last = leaf.doc_count_all() - 1
            if last >= 0:
                leaf.stored_fields(0)
                leaf.stored_fields(last)
            for fieldname in leaf.indexed_field_names():
                for term in itertools.islice(leaf.lexicon(fieldname), 1):
                    list(leaf.postings(fieldname, term).all_ids())
                if last >= 0 and leaf.has_column(fieldname):
                    column = leaf.column_reader(fieldname)
                    column[0], column[last]

    @property
    def doc_count(self) -> int:
        """Document numbers run from 0 to this (deleted ones included)."""
        return self._reader.doc_count_all()

    @guarded
    def has_deletions(self) -> bool:
        """Whether some document numbers belong to deleted documents."""
        return self._reader.has_deletions()

    # -- stored documents ---------------------------------------------------

    @guarded
    def stored(self, docnum: int) -> dict:
        """The stored fields of a document."""
        return self._searcher.stored_fields(docnum)

    @guarded
    def docnum(self, doc_id: str) -> int | None:
        """The number of the live document with this id, or None."""
        return self._searcher.document_number(id=doc_id)

    @guarded
    def document(self, doc_id: str) -> dict | None:
        """The stored fields of the document with this id, or None."""
        return self._searcher.document(id=doc_id)

    @guarded
    def documents(self, kind: str) -> list[dict]:
        """The stored fields of every live document of a kind."""
        return list(self._searcher.documents(kind=kind))

    @guarded
    def docnums(self, kind: str) -> list[int]:
        """The numbers of every live document of a kind, ascending."""
        return sorted(self._searcher.document_numbers(kind=kind))

    @guarded
    def column_value(self, fieldname: str, docnum: int) -> Any:
        """One document's value in a field's column (the default where its segment has none)."""
        for leaf, offset in reversed(self._reader.leaf_readers()):
            if offset <= docnum:
                if leaf.has_column(fieldname):
                    return self._column_reader(leaf, offset, fieldname)[docnum - offset]
                break
        return self._reader.schema[fieldname].column_type.default_value()

    def _column_reader(self, leaf: Any, offset: int, fieldname: str) -> Any:
        # opening a column decodes its table of lengths (2 ms for a session's key
        # terms at 10k): once per segment and generation
        key = (offset, fieldname)
        found = self._columns.get(key)
        if found is None:
            found = self._columns[key] = leaf.column_reader(fieldname)
        return found

    def column(self, fieldname: str) -> list:
        """A field's column: a value per document number."""
        if not self._reader.doc_count_all():
            return []  # an index with no segment has no columns to read
        # a segment with no document holding the field has no column at all (the parent's
        # segment of events beside the workers' sessions): its documents take the default,
        # where whoosh's multi-segment reader would leave them out and shift the rest
        default = self._reader.schema[fieldname].column_type.default_value()
        values: list = []
        for leaf, _ in self._reader.leaf_readers():
            if leaf.has_column(fieldname):
                values += leaf.column_reader(fieldname)
            else:
                values += [default] * leaf.doc_count_all()
        return values

    # -- terms -------------------------------------------------------------

    @guarded
    def lexicon(self, fieldname: str) -> list[str]:
        """Every term of a field, in order."""
        return [_text(t) for t in self._reader.lexicon(fieldname)]

    @guarded
    def term_frequencies(self, fieldname: str) -> dict[str, int]:
        """Every term of a field with the number of documents holding it."""
        found: dict[str, int] = {}
        # each segment's terms in one pass: asking for each term's frequency
        # looks it up again in every segment
        for leaf, _ in self._reader.leaf_readers():
            for term, info in leaf.iter_field(fieldname):
                word = _text(term)
                found[word] = found.get(word, 0) + info.doc_frequency()
        return found

    @guarded
    def expand_prefix(self, fieldname: str, prefix: str, limit: int = 200) -> list[str]:
        """Up to ``limit`` terms of a field that start with ``prefix``, in order."""
        if self._arrays is not None and fieldname in self._reader.schema:
            found = self._arrays.with_prefix(
                fieldname, self._reader.schema[fieldname].to_bytes(prefix), limit)
            if found is not None:
                return [_text(t) for t in found]
        return [_text(t) for t in itertools.islice(self._reader.expand_prefix(fieldname, prefix),
                                                   limit)]

    @guarded
    def doc_frequency(self, fieldname: str, text: str) -> int:
        """How many documents hold a term."""
        if self._arrays is not None:
            found = self._arrays.frequency(self._searcher, fieldname, text)
            if found is not None:
                return found
        return self._reader.doc_frequency(fieldname, text)

    @guarded
    def key_terms(self, fieldname: str, text: str, count: int,
                  weights: dict | None = None) -> list[tuple[str, float]]:
        """The ``count`` terms of ``text`` that best tell it apart in ``fieldname``, weighted.

        Whoosh's key_terms_from_text (Bo1, normalized), term for term and weight
        for weight, but each term's collection frequency is looked up once per
        segment and remembered: whoosh looked each up four times per segment,
        three quarters of a session page's time. ``weights`` (term -> how often
        it occurs) stand for the analysis of ``text`` when given.
        """
        field = self._reader.schema[fieldname]
        if weights is None:
            weights = defaultdict(float)
            for token, _, weight, _ in field.index(text):  # as whoosh's Expander.add_text
                weights[field.from_bytes(token)] += weight
        total = float(sum(weights.values()))
        if not weights:
            return []
        model = Bo1Model(self._reader.doc_count_all(), self._reader.field_length(fieldname))
        scored, top = [], 0.0
        for word, weight in weights.items():
            frequency = self._collection_frequency(fieldname, field.to_bytes(word))
            if frequency is not None:
                score = model.score(weight, frequency, total)
                top = max(top, score)
                scored.append((score, word))
        norm = model.normalizer(top, total)
        ranked = sorted(((score / norm, word) for score, word in scored),
                        key=lambda x: (0 - x[0], x[1]))
        return [(_text(word), score) for score, word in ranked[:count]]

    def _collection_frequency(self, fieldname: str, term: bytes) -> float | None:
        """How often a term occurs in a field over all documents, or None when in none."""
        key = (fieldname, term)
        if key in self._frequencies:
            return self._frequencies[key]
        found = None
        for leaf, _ in self._reader.leaf_readers():
            try:
                weight = leaf.term_info(fieldname, term).weight()
            except TermNotFound:
                continue
            found = weight if found is None else found + weight
        if len(self._frequencies) >= MAX_FREQUENCIES:
            self._frequencies.clear()
        self._frequencies[key] = found
        return found

    # -- postings and matches ------------------------------------------------

    @guarded
    def docs_with(self, fieldname: str, text: str) -> np.ndarray:
        """The live documents holding a term, ascending."""
        if self._arrays is not None:
            return self._arrays.docs(self._searcher, fieldname, text)
        if fieldname not in self._searcher.schema or \
                (fieldname, text) not in self._reader:
            return np.empty(0, np.int64)
        found = self._reader.postings(fieldname, text).all_ids()
        return np.fromiter(found, np.int64)

    @property
    def postings_held(self) -> int:
        """Bytes of postings this reader keeps in memory (0 on the slower path)."""
        return self._arrays.held if self._arrays is not None else 0

    @property
    def postings_kept(self) -> int:
        """How many terms' postings this reader keeps in memory."""
        return self._arrays.kept if self._arrays is not None else 0

    @guarded
    def matches(self, query: Q.Query, memo: dict | None = None) -> Matches:
        """(document numbers, scores) of every live match of ``query``, numbers ascending.

        ``memo``: a dict the caller keeps for one search, shared by its parts.
        """
        if self._arrays is not None:
            return self._arrays.matches(self._searcher, query, memo)
        return public_matches(self._searcher, query)

    @guarded
    def matching(self, query: Q.Query, memo: dict | None = None) -> np.ndarray:
        """The document numbers of every live match of ``query``, ascending, unscored.

        The same documents as :meth:`matches`, for less: what counting needs.
        """
        if self._arrays is not None:
            return self._arrays.matching(self._searcher, query, memo)
        return public_matches(self._searcher, query)[0]
