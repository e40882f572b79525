"""Finding note files in folders and reading each by its kind."""

import errno
import os
import stat
from pathlib import Path

from kb.errors import NoteError

from kb.indexer.notes import parse_note
from kb.indexer.yamlevents import parse_event_yaml

NOTE_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
# Far beyond any real notes (a whole conference is a few hundred kilobytes);
# a bigger file is a pasted log or dump that would only slow indexing and pages.
MAX_NOTE_BYTES = 4_000_000


def _skipped(name):
    """Hidden files, editor swap and backup files are never notes."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swo", ".tmp"))


def find_note_files(path):
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


def read_note(path):
    """The bytes of a note file, at most one more than MAX_NOTE_BYTES.

    Opened without blocking and checked to be a regular file, so that a FIFO
    or a device named like a note raises OSError instead of hanging the run.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb") as fp:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return fp.read(MAX_NOTE_BYTES + 1)


def decode(data, source):
    """Text of a note file: UTF-8 (a BOM is allowed), with the line of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise NoteError(source, line, "not valid UTF-8 text "
                                      f"(byte {data[exc.start]:#04x} at offset {exc.start}); "
                                      "save the file as UTF-8") from None


def parse_source(data, source):
    """The event of a note file's bytes, or None for a draft."""
    if len(data) > MAX_NOTE_BYTES:
        raise NoteError(source, 0, f"larger than {MAX_NOTE_BYTES // 1_000_000} MB, "
                                   "too big for a note: split it into several files")
    if not data.strip():
        raise NoteError(source, 1, "the file is empty: a note starts with front matter "
                                   "('---', 'event: ...', '---'), then '## ' sessions")
    text = decode(data, source)
    if "\x00" in text:
        raise NoteError(source, 1, "not a text file (it contains NUL bytes)")
    parse = parse_event_yaml if str(source).endswith((".yaml", ".yml")) else parse_note
    event = parse(text, source)
    return None if event.draft else event
