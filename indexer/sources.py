"""Finding note files in folders and reading each by its kind, under a budget.

Every note is read within limits of size (MAX_NOTE_BYTES), nesting (front
matter's MAX_DEPTH, Markdown's own nesting limit) and time (NOTE_SECONDS), so
that one hostile note is reported and the run goes on.
"""

import contextlib
import errno
import os
import signal
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

from kb.errors import NoteError
from kb.model import Event

NOTE_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
# Far beyond any real notes (a whole conference is a few hundred kilobytes);
# a bigger file is a pasted log or dump that would only slow indexing and pages.
MAX_NOTE_BYTES = 4_000_000
# A 200 KB note reads in under a second, and in a few seconds even when written
# only of markup: a note that takes longer holds up every other note of the run.
NOTE_SECONDS = 20.0


class _OutOfTime(Exception):
    """Raised inside a parse whose time ran out."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise _OutOfTime inside the block once it has used ``seconds`` of processor time.

    Parsing is pure Python, which a timer signal interrupts between any two
    steps. Processor time, not wall time, so that a busy machine does not
    refuse good notes. Signals reach only the main thread, and another timer
    may already be running: then the block runs without a limit.
    """
    usable = (seconds is not None and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0))
    if not usable or seconds is None:
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _skipped(name):
    """Hidden files, editor swap and backup files are never notes."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swo", ".tmp"))


def find_note_files(path) -> tuple[list[Path], list[str]]:
    """Note files at ``path`` (a file, or a folder searched recursively).

    Returns (absolute paths in a stable order, error messages). Symbolic links
    to folders are not followed, so a link loop cannot trap the walk.
    """
    path = Path(path)
    if path.is_file():
        return [path.absolute()], []
    if not path.is_dir():
        return [], [str(NoteError(str(path), 0, "no such file or folder"))]
    found, errors = [], []

    def report(exc):
        errors.append(str(NoteError(exc.filename or str(path), 0,
                                    f"cannot list folder: {exc.strerror}")))

    for folder, dirs, names in os.walk(path.absolute(), onerror=report):
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        for name in sorted(names):
            if name.endswith(NOTE_SUFFIXES) and not _skipped(name):
                found.append(Path(folder) / name)
    return found, errors


def read_note(path) -> bytes:
    """The bytes of a note file, at most one more than MAX_NOTE_BYTES.

    Opened without blocking and checked to be a regular file, so that a FIFO
    or a device named like a note raises OSError instead of hanging the run.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb") as fp:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return fp.read(MAX_NOTE_BYTES + 1)


def decode(data, source) -> str:
    """Text of a note file: UTF-8 (a BOM is allowed), with the line of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise NoteError(source, line, "not valid UTF-8 text "
                                      f"(byte {data[exc.start]:#04x} at offset {exc.start}); "
                                      "save the file as UTF-8") from None


def parse_source(data: bytes, source, seconds: float | None = NOTE_SECONDS) -> Event | None:
    """The event of a note file's bytes, or None for a draft; a NoteError past the budget."""
    if len(data) > MAX_NOTE_BYTES:
        raise NoteError(source, 0, f"larger than {MAX_NOTE_BYTES // 1_000_000} MB, "
                                   "too big for a note: split it into several files")
    if not data.strip():
        raise NoteError(source, 1, "the file is empty: a note starts with front matter "
                                   "('---', 'event: ...', '---'), then '## ' sessions")
    # here, not above: a run that finds every note unchanged never reads Markdown
    from kb.indexer.notes import parse_note, refuse_nul
    from kb.indexer.yamlevents import parse_event_yaml

    text = decode(data, source)
    refuse_nul(text, source)
    parse = parse_event_yaml if str(source).endswith((".yaml", ".yml")) else parse_note
    try:
        with time_limit(seconds):
            event = parse(text, source)
    except _OutOfTime:
        raise NoteError(source, 0, f"took more than {seconds:g} s of processor time to read: "
                                   "split it, or simplify what it repeats") from None
    except RecursionError:
        # the limits on nesting should stop this first; the run must go on regardless
        raise NoteError(source, 0, "nests too deeply to read") from None
    except NoteError:
        raise
    except Exception as exc:  # a parser's own bug: this note fails, the run goes on
        raise NoteError(source, 0, f"cannot be read: the parser failed on it "
                                   f"({type(exc).__name__}: {exc})") from None
    return None if event.draft else event
