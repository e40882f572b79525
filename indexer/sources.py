"""Finding note files in folders and reading each by its kind."""

import os
from pathlib import Path

from kb.errors import NoteError

from indexer.notes import parse_note
from indexer.yamlevents import parse_event_yaml

NOTE_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")


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
    text = decode(data, source)
    if "\x00" in text:
        raise NoteError(source, 1, "not a text file (it contains NUL bytes)")
    parse = parse_event_yaml if str(source).endswith((".yaml", ".yml")) else parse_note
    event = parse(text, source)
    return None if event.draft else event
