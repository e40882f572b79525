"""One bounded cache per index generation, on functools' LRU.

What a generation computes again and again (answers to requests, the
matches of a part of a query, related sessions) is remembered here, the
latest ``size`` values of every kind together. functools.lru_cache keeps
its bookkeeping consistent under threads; two threads asking for the same
new key at once may both compute it, which only costs time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Hashable, TypeVar

T = TypeVar("T")


class _Key:
    """A cache key carrying the computation of its value, compared by the key alone."""

    __slots__ = ("key", "compute", "_hash")

    def __init__(self, key: Hashable, compute: Callable[[], Any]) -> None:
        self.key = key
        self.compute: Callable[[], Any] | None = compute
        self._hash = hash(key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.key == other.key


def _compute(key: _Key) -> Any:
    compute, key.compute = key.compute, None  # the cache keeps the key: let go of what computing needs
    if compute is None:
        raise RuntimeError("a cache key computed twice")
    return compute()


class _Missing(Exception):
    """Raised to look into the cache without computing (lru_cache keeps no exception)."""


def _missing() -> Any:
    raise _Missing


class Memo:
    """Values remembered by key, at most ``size`` of them (least recently used go first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._cached = lru_cache(maxsize=size)(_compute) if size else None

    def get(self, kind: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The value of ``(kind, key)``, computed by ``compute()`` when not remembered.

        A key that cannot be hashed is computed and not remembered.
        """
        if self._cached is None:
            return compute()
        try:
            wrapped = _Key((kind, key), compute)
        except TypeError:
            return compute()
        return self._cached(wrapped)

    def peek(self, kind: str, key: Hashable) -> Any:
        """The value of ``(kind, key)`` if it is remembered, else None; never computes."""
        if self._cached is None:
            return None
        try:
            return self.get(kind, key, _missing)
        except _Missing:
            return None

    def __len__(self) -> int:
        return self._cached.cache_info().currsize if self._cached else 0
