"""What reading a damaged index raises, turned into one error a user can act on.

A truncated, corrupted or missing index file makes whoosh raise whatever its
reading code meets first (a seek out of range, a short read, a bad pickle, a
missing file). At the engine's boundary any of these means the same: the
index is damaged, and ``kb index --rebuild`` cures it.
"""

from __future__ import annotations

import errno
import functools
from pathlib import Path
from typing import Any, Callable, TypeVar

from kb.errors import IndexDamagedError, IndexWriteError, KbError

F = TypeVar("F", bound=Callable[..., Any])
FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def guarded(method: F) -> F:
    """A method of an object with a ``path`` whose failures mean its index is damaged."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except KbError:
            raise
        except Exception as exc:  # whoosh reading damaged files: see the module's docstring
            raise IndexDamagedError(self.path, exc) from exc
    return wrapper  # type: ignore[return-value]


def write_error(path: Path, exc: OSError) -> KbError | None:
    """The error to show for an OSError met writing the index at ``path``, or None."""
    if exc.errno in FULL:
        return IndexWriteError(
            f"no space left to write the index in {path} ({exc.strerror}): the previous "
            "index is unchanged; free some space and run 'kb index' again")
    if exc.errno in READ_ONLY:
        return IndexWriteError(
            f"cannot write the index in {path} ({exc.strerror}): the folder is read-only; "
            "give another folder with --index or $KB_INDEX_DIR")
    return None
