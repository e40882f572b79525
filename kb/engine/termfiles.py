"""A new segment's posting blocks (.pst) and term table (.trm), in whoosh 3's format.

Whoosh's postings writer takes a term's postings one at a time and keeps a
block's statistics as it goes, then makes a term info object per term and
writes each key, value and hash slot with a call of its own: for a segment
of hundreds of thousands of postings, most of writing it. The postings of a
:class:`~kb.engine.pool.CompactPool` come as arrays already in order, so
here every block's statistics (count, last document, greatest weight,
shortest and longest field length) and every term's info are computed a
field at a time with numpy; what is left per block is what makes its bytes,
as whoosh makes them: the pickle of its minified documents, weights and
values (``W3PostingsWriter._mini_*``), compressed, and the pickle of its
statistics. The files are byte for byte whoosh's (the tests compare them
with the files whoosh writes and read them back with whoosh).

Whoosh 2.7 never inlines postings into a term's info: it would with fewer
postings than ``inlinelimit``, which is 1.
"""

from __future__ import annotations

import hashlib
import pickle
import struct
import zlib
from typing import Any

import numpy as np
from whoosh.formats import Positions
from whoosh.util.numeric import byte_to_length

from kb.engine.pool import CompactPool, SortedPostings

MAGIC = b"W3Bl"  # before a term's first block (WHOOSH3_HEADER_MAGIC)
# a term's info: flags, total weight, documents, shortest and longest length (as
# bytes), greatest weight, first and last document; then where its blocks are
TERM_INFO = np.dtype([("flags", "u1"), ("weight", ">f4"), ("df", ">u4"), ("minlength", "u1"),
                      ("maxlength", "u1"), ("maxweight", ">f4"), ("minid", ">u4"),
                      ("maxid", ">u4"), ("offset", ">i8"), ("length", ">i4")])
_KEY_VALUE = struct.Struct("!ii")  # a key's and its value's lengths, before them
_SLOT = np.dtype([("hash", ">u4"), ("position", ">i8")])
_DIRECTORY = np.dtype([("position", ">q"), ("slots", ">i4")])
_INT = struct.Struct("!i")
# postings whose values are made into bytes objects at once: a list of every posting
# of a field would cost 30 times its arrays
CHUNK = 1 << 16
LONGEST = byte_to_length(255)  # lengths from this one are byte 255
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], np.int64)
_NO_LENGTH = np.iinfo(np.int64).max


def length_bytes(lengths: np.ndarray) -> np.ndarray:
    """whoosh's ``length_to_byte`` of each of ``lengths``."""
    found = np.searchsorted(_LENGTHS, lengths, "left")
    found[lengths >= LONGEST] = 255
    return found


class TermTable:
    """The rows of a segment's term table (whoosh's OrderedHashWriter), written at once."""

    def __init__(self, tindex: Any) -> None:
        self._tindex = tindex
        self._file = tindex.dbfile
        self._at = self._file.tell()
        self._positions: list[np.ndarray] = []
        self._hashes: list[int] = []

    def add(self, keys: list[bytes], values: bytes, size: int) -> None:
        """Add rows of ``keys`` (in order) and their values, ``size`` bytes each."""
        if not keys:
            return
        key_lengths = np.fromiter(map(len, keys), np.int64, len(keys))
        rows = np.empty(len(keys), np.int64)
        rows[0] = 0
        np.cumsum(key_lengths[:-1] + (_KEY_VALUE.size + size), out=rows[1:])
        self._positions.append(rows + self._at)
        heads = np.empty(len(keys), [("key", ">i4"), ("value", ">i4")])
        heads["key"], heads["value"] = key_lengths, size
        head, pack = heads.tobytes(), _KEY_VALUE.size
        parts = []
        for i, key in enumerate(keys):
            parts += (head[i * pack:(i + 1) * pack], key, values[i * size:(i + 1) * size])
        data = b"".join(parts)
        self._file.write(data)
        self._at += len(data)
        if self._tindex.hashtype == 0:  # whoosh's md5_hash: the digest's last 4 bytes
            md5 = hashlib.md5
            self._hashes += [int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")
                             for key in keys]
        else:
            self._hashes += map(self._tindex.hashfn, keys)

    def close(self) -> None:
        """Write the hash tables, their directory and the extras, and close the file."""
        dbfile, tindex = self._file, self._tindex
        positions = np.concatenate(self._positions) if self._positions else np.zeros(0, np.int64)
        buckets: list[list[tuple[int, int]]] = [[] for _ in range(256)]
        for h, position in zip(self._hashes, positions.tolist()):
            buckets[h & 255].append((h, position))
        directory = np.empty(256, _DIRECTORY)
        at = self._at
        tables = []
        for b, entries in enumerate(buckets):
            slots = 2 * len(entries)
            directory[b] = (at, slots)
            table = np.zeros(slots, _SLOT)
            taken = [False] * slots
            for h, position in entries:  # open addressing, as whoosh's _write_hashes
                slot = (h >> 8) % slots
                while taken[slot]:
                    slot = (slot + 1) % slots
                taken[slot] = True
                table[slot] = (h, position)
            tables.append(table.tobytes())
            at += slots * _SLOT.itemsize
        dbfile.write(b"".join(tables))
        dbfile.write(directory.tobytes())
        # the positions of the rows, in the narrowest of whoosh's GrowableArray's types
        top = int(positions.max()) if len(positions) else 0
        code, dtype = (("H", ">u2") if top < 1 << 16 else ("i", ">i4") if top < 1 << 31
                       else ("I", ">u4") if top < 1 << 32 else ("q", ">i8"))
        tindex.extras["indextype"] = code
        tindex.extras["indexlen"] = len(positions)
        start = dbfile.tell()
        dbfile.write_pickle(tindex.extras)
        dbfile.write(positions.astype(dtype).tobytes())
        dbfile.write(_INT.pack(dbfile.tell() - start))
        dbfile.close()


def write_segment_terms(fieldwriter: Any, schema: Any, lengths: Any, pool: CompactPool,
                        sidecar: Any = None) -> None:
    """Write every posting of ``pool`` into the files of whoosh's W3FieldWriter
    ``fieldwriter`` and close it; and into ``sidecar`` as arrays.

    ``lengths`` (or None) gives each field's length in each document, as an
    int64 array, 0 for none (:class:`~kb.engine.blocks.SegmentLengths`).
    """
    codec = fieldwriter._codec
    table = TermTable(fieldwriter._tindex)
    postfile = fieldwriter._postfile
    fieldmap = fieldwriter._fieldmap
    for fieldname, field in pool.fields():
        fieldid = fieldmap.setdefault(fieldname, len(fieldmap))
        found = field.sort()
        if found is None:
            continue
        field_lengths = lengths.lengths(fieldname) if lengths is not None else None
        if sidecar is not None:
            sidecar.start_field(fieldname)
        fmt = schema[fieldname].format
        writer = _FieldBlocks(found, field_lengths, codec._blocklimit, codec._compression,
                              fmt.fixed_value_size(), postfile.tell())
        infos = writer.write(postfile, sidecar, type(fmt) is Positions)
        prefix = struct.pack("!H", fieldid)
        table.add([prefix + term for term in found.terms], infos, TERM_INFO.itemsize)
    postfile.close()
    table.close()
    fieldwriter.is_closed = True


class _FieldBlocks:
    """One field's blocks: their statistics as arrays, then their bytes a block at a time."""

    def __init__(self, found: SortedPostings, lengths: np.ndarray | None, limit: int, level: int,
                 fixed: int | None, offset: int) -> None:
        self.found, self.level, self.fixed, self.offset = found, level, fixed, offset
        bounds = found.bounds
        counts = np.diff(bounds)
        per_term = (counts + limit - 1) // limit
        self.first_blocks = np.zeros(len(counts) + 1, np.int64)
        np.cumsum(per_term, out=self.first_blocks[1:])
        term = np.repeat(np.arange(len(counts)), per_term)
        starts = bounds[term] + (np.arange(len(term)) - self.first_blocks[term]) * limit
        self.starts = starts
        self.ends = np.minimum(starts + limit, bounds[term + 1])
        docs = found.docs.astype(np.int64)
        # whoosh's delta_encode: a block's first document, then the gaps from each before
        deltas = np.diff(docs, prepend=0)
        deltas[starts] = docs[starts]
        self.deltas = deltas
        weights = found.weights
        self.singles = weights.astype(np.float32)  # whoosh keeps a block's weights in array("f")
        low = np.minimum.reduceat(self.singles, starts)
        high = np.maximum.reduceat(self.singles, starts)
        self.ones = (low == 1) & (high == 1)
        self.same = low == high
        top = np.maximum.reduceat(weights, starts)
        self.top = top
        if lengths is not None:
            posting_lengths = lengths[docs]
        else:
            posting_lengths = np.zeros(len(docs), np.int64)
        # a length of 0 (or none) counts for nothing (add_posting's ``if length``)
        nonzero = np.where(posting_lengths > 0, posting_lengths, _NO_LENGTH)
        self.block_short = _length_byte(np.minimum.reduceat(nonzero, starts))
        self.block_long = length_bytes(np.maximum.reduceat(posting_lengths, starts))
        # the term infos
        infos = np.zeros(len(counts), TERM_INFO)
        infos["df"] = counts
        infos["minlength"] = _length_byte(np.minimum.reduceat(nonzero, bounds[:-1]))
        infos["maxlength"] = length_bytes(np.maximum.reduceat(posting_lengths, bounds[:-1]))
        infos["maxweight"] = np.maximum(np.maximum.reduceat(weights, bounds[:-1]), 0)
        infos["minid"] = docs[bounds[:-1]]
        infos["maxid"] = docs[bounds[1:] - 1]
        wide = self.singles.astype(np.float64)
        if (wide == np.floor(wide)).all() and np.abs(wide).sum() < 2 ** 53:
            # whole numbers: every order of adding them gives whoosh's sum
            infos["weight"] = np.add.reduceat(wide, bounds[:-1])
        else:
            infos["weight"] = self._sums(wide.tolist())
        self.infos = infos

    def _sums(self, weights: list) -> list:
        """Each term's total weight as whoosh adds it: 0, plus each block's sum()."""
        totals = []
        starts, ends = self.starts.tolist(), self.ends.tolist()
        firsts = self.first_blocks.tolist()
        for first, last in zip(firsts, firsts[1:]):
            total = 0
            for block in range(first, last):
                total += sum(weights[starts[block]:ends[block]])
            totals.append(total)
        return totals

    def write(self, postfile: Any, sidecar: Any, positional: bool) -> bytes:
        """Write the field's blocks into ``postfile``; the term infos' bytes."""
        found, infos = self.found, self.infos
        bounds = found.bounds.tolist()
        firsts = self.first_blocks.tolist()
        offset = self.offset
        term = 0
        terms = len(found.terms)
        while term < terms:
            # a chunk of terms whose postings are turned into Python objects together
            end = term + 1
            limit = bounds[term] + CHUNK
            while end < terms and bounds[end + 1] <= limit:
                end += 1
            offset = self._write_terms(postfile, sidecar, positional, term, end, offset)
            term = end
        return infos.tobytes()

    def _write_terms(self, postfile: Any, sidecar: Any, positional: bool, first_term: int,
                     end_term: int, offset: int) -> int:
        found, infos = self.found, self.infos
        bounds = found.bounds
        base, top_posting = int(bounds[first_term]), int(bounds[end_term])
        values = found.values(base, top_posting)
        keep_values = self.fixed is None or self.fixed < 0
        if keep_values and not all(values):  # add_posting keeps no empty value
            kept: Any = None
        else:
            kept = values
        deltas = self.deltas[base:top_posting].tolist()
        singles = self.singles[base:top_posting].tolist()
        first_block, end_block = int(self.first_blocks[first_term]), int(self.first_blocks[end_term])
        blocks = slice(first_block, end_block)
        starts = (self.starts[blocks] - base).tolist()
        ends = (self.ends[blocks] - base).tolist()
        ones, same = self.ones[blocks].tolist(), self.same[blocks].tolist()
        tops = self.top[blocks].tolist()
        shorts, longs = self.block_short[blocks].tolist(), self.block_long[blocks].tolist()
        lasts = found.docs[self.ends[blocks] - 1].tolist()
        term_blocks = (self.first_blocks[first_term + 1:end_term + 1] - first_block).tolist()
        level, fixed = self.level, self.fixed
        dumps, compress, pack = pickle.dumps, zlib.compress, _INT.pack
        out: list[bytes] = []
        offsets, sizes = [], []
        block = 0
        for last_block in term_blocks:
            offsets.append(offset)
            out.append(MAGIC)
            size = len(MAGIC)
            while block < last_block:
                a, b = starts[block], ends[block]
                if ones[block]:
                    weights: Any = None
                elif same[block]:
                    weights = singles[a]
                else:
                    weights = tuple(singles[a:b])
                if fixed is None or fixed < 0:
                    block_values: Any = tuple(values[a:b] if kept is not None
                                              else [v for v in values[a:b] if v])
                elif fixed == 0:
                    block_values = None
                else:
                    block_values = b"".join(values[a:b])
                data = dumps((tuple(deltas[a:b]), weights, block_values), 2)
                if level:
                    data = compress(data, level)
                top = tops[block]
                info = dumps((b - a, lasts[block], top if top > 0 else 0, level, shorts[block],
                              longs[block]), 2)
                length = len(info) + len(data)
                block += 1
                out += (pack(-length if block == last_block else length), info, data)
                size += 4 + length
            sizes.append(size)
            offset += size
        postfile.write(b"".join(out))
        infos["offset"][first_term:end_term] = offsets
        infos["length"][first_term:end_term] = sizes
        if sidecar is not None:
            sidecar.add_terms(found.terms[first_term:end_term],
                              bounds[first_term:end_term + 1] - base,
                              found.docs[base:top_posting], found.weights[base:top_posting],
                              values if positional else None,
                              (found.held, found.starts[base:top_posting],
                               found.ends[base:top_posting]))
        return offset


def _length_byte(shortest: np.ndarray) -> np.ndarray:
    """The length bytes of the shortest nonzero lengths; 0 where there were none."""
    found = length_bytes(np.where(shortest == _NO_LENGTH, 0, shortest))
    return found
