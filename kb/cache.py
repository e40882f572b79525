"""One bounded cache per index generation.

What a generation computes again and again (answers to requests, the
matches of a part of a query, related sessions) is remembered here, the
latest ``size`` values of every kind together, and at most ``max_bytes`` of
what the heavy ones weigh: a part's matches at 100,000 sessions are arrays
of up to a megabyte, and 256 of them held about 95 MB in each process.
Two threads asking for the same new key at once may both compute it, which
only costs time; the bookkeeping is done under a lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, TypeVar

T = TypeVar("T")


class _Key:
    """A cache key that hashes its (possibly deep) key once."""

    __slots__ = ("key", "_hash")

    def __init__(self, key: Hashable) -> None:
        self.key = key
        self._hash = hash(key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.key == other.key


class Memo:
    """Values remembered by key, at most ``size`` of them and ``max_bytes`` of their weight
    (least recently used go first)."""

    def __init__(self, size: int, max_bytes: int | None = None) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._values: OrderedDict[_Key, tuple[Any, int]] = OrderedDict()
        self._held = 0  # bytes the remembered values weigh
        self._lock = threading.Lock()

    def get(self, kind: str, key: Hashable, compute: Callable[[], T],
            weigh: Callable[[T], int] | None = None) -> T:
        """The value of ``(kind, key)``, computed by ``compute()`` when not remembered.

        ``weigh`` tells the bytes a value holds, counted against ``max_bytes``.
        A key that cannot be hashed is computed and not remembered; nor is a
        value heavier than ``max_bytes`` alone.
        """
        if not self.size:
            return compute()
        try:
            wrapped = _Key((kind, key))
        except TypeError:
            return compute()
        with self._lock:
            found = self._values.get(wrapped)
            if found is not None:
                self._values.move_to_end(wrapped)
                return found[0]
        value = compute()  # outside the lock: computing may ask for other values
        weight = weigh(value) if weigh is not None else 0
        if self.max_bytes is not None and weight > self.max_bytes:
            return value
        with self._lock:
            if wrapped not in self._values:
                self._values[wrapped] = (value, weight)
                self._held += weight
                while len(self._values) > self.size or (
                        self.max_bytes is not None and self._held > self.max_bytes):
                    _, (_, dropped) = self._values.popitem(last=False)
                    self._held -= dropped
        return value

    def peek(self, kind: str, key: Hashable) -> Any:
        """The value of ``(kind, key)`` if it is remembered, else None; never computes."""
        if not self.size:
            return None
        try:
            wrapped = _Key((kind, key))
        except TypeError:
            return None
        with self._lock:
            found = self._values.get(wrapped)
            if found is None:
                return None
            self._values.move_to_end(wrapped)
            return found[0]

    @property
    def held(self) -> int:
        """Bytes the remembered values weigh (as their ``weigh`` told)."""
        return self._held

    def __len__(self) -> int:
        return len(self._values)
