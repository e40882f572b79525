"""Sets of documents as bitmasks: a Python int with bit n set for document n.

Facet values, selections and matches are combined with ``&`` and ``|`` and
counted with ``bit_count()``; numpy turns arrays of document numbers into
masks and back.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np


def bitmask(docnums: Iterable[int] | np.ndarray) -> int:
    """A bitmask with the bits of ``docnums`` (an array or any iterable) set."""
    numbers = np.asarray(docnums if isinstance(docnums, np.ndarray) else list(docnums),
                         dtype=np.int64)
    if not len(numbers):
        return 0
    bits = np.zeros(int(numbers.max()) + 1, dtype=bool)
    bits[numbers] = True
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def docnums(mask: int) -> list[int]:
    """The document numbers of a bitmask, ascending."""
    return np.flatnonzero(mask_array(mask, mask.bit_length())).tolist()


def mask_array(mask: int, size: int) -> np.ndarray:
    """A bitmask as a bool array of ``size`` documents."""
    data = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, bitorder="little", count=size).view(bool)


def in_mask(docs: np.ndarray, mask: int) -> np.ndarray:
    """Which of ``docs`` (an array) have their bit set in ``mask``."""
    if not len(docs):
        return np.zeros(0, dtype=bool)
    return mask_array(mask, max(int(docs.max()) + 1, mask.bit_length()))[docs]


def in_order(order: Iterable[int], mask: int, start: int, count: int) -> list[int]:
    """Document numbers ``start`` to ``start + count`` of ``order`` that lie in ``mask``."""
    view = mask.to_bytes((mask.bit_length() + 7) // 8 or 1, "little")
    size = len(view)
    page: list[int] = []
    seen = 0
    for n in order:
        i = n >> 3
        if i < size and view[i] >> (n & 7) & 1:
            if seen >= start:
                page.append(n)
                if len(page) == count:
                    break
            seen += 1
    return page
