"""Checksums of an index's files, to tell a damaged index from a sound one.

Whoosh keeps no checksums, and a flipped byte in a term file is read as a
wrong word rather than an error. After each commit the writer records the
size, CRC32 and modification time of every file of the index's current
generation in a sidecar file. A reader of that generation can then check
the sizes (at no cost), the sums of the files changed since they were
written (a size or time that differs: what a server and ``kb search`` do on
opening a generation, in milliseconds at 100,000 sessions), or the sums of
every file (a read of the whole index: what ``kb index`` does before it
updates an index and after it has written one).

A segment's posting arrays (:mod:`kb.engine.sidecar`) are summed like any
file, but one that is missing is no damage: its segment is read through
whoosh's own files, which hold the same postings.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

from kb.engine.sidecar import EXTENSION as SIDECAR
from kb.errors import IndexDamagedError

CHUNK = 1 << 20


def sums_file(path: Path, name: str) -> Path:
    """Where the sums of the index ``name`` are kept."""
    return path / f".{name}.sums.json"


def index_files(path: Path, name: str) -> list[Path]:
    """The files of the index ``name`` in the folder ``path`` (not its lock or temp files)."""
    return sorted(p for p in path.iterdir()
                  if (p.name.startswith(name + "_") or p.name.startswith("_" + name + "_"))
                  and p.is_file() and not p.name.endswith(("_WRITELOCK", ".tmp")))


def crc(file: Path) -> int:
    """The CRC32 of a file's bytes."""
    value = 0
    with open(file, "rb") as fp:
        while chunk := fp.read(CHUNK):
            value = zlib.crc32(chunk, value)
    return value


def record(path: Path, name: str, generation: int) -> None:
    """Write the sums of the index's files as they are now, for ``generation``.

    Files already summed with the same size and time are not read again.
    """
    target = sums_file(path, name)
    try:
        known = json.loads(target.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    files = {}
    for file in index_files(path, name):
        stat = file.stat()
        old = known.get(file.name)
        if old and old[0] == stat.st_size and old[2] == stat.st_mtime_ns:
            files[file.name] = old
        else:
            files[file.name] = [stat.st_size, crc(file), stat.st_mtime_ns]
    tmp = target.with_name(target.name + f".{os.getpid()}")
    tmp.write_text(json.dumps({"generation": generation, "files": files}), encoding="utf-8")
    os.replace(tmp, target)


READ = ("none", "changed", "all")  # whose sums check() reads: see there


def check(path: Path, name: str, generation: int, read: str = "none") -> None:
    """Raise IndexDamagedError when a file of this generation is missing, cut or changed.

    Sizes are always compared. ``read`` says whose sums are read and
    compared too: "none", "changed" (the files whose modification time is not
    the one recorded: something wrote to them, or they were copied; a copy
    reads as sound), or "all". Sums of another generation (a commit happened
    since) are not compared.
    """
    if read not in READ:
        raise ValueError(f"read must be one of {READ}, not {read!r}")
    try:
        data = json.loads(sums_file(path, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # an index written before sums were kept: nothing to compare
    if data.get("generation") != generation:
        return
    for filename, (size, value, written) in data["files"].items():
        file = path / filename
        try:
            stat = file.stat()
        except FileNotFoundError:
            if filename.endswith(SIDECAR):
                continue  # a segment's arrays are optional: it is read through whoosh without
            raise IndexDamagedError(path, FileNotFoundError(f"{filename} is missing")) from None
        if stat.st_size != size:
            raise IndexDamagedError(path, ValueError(f"{filename} has {stat.st_size} bytes, "
                                                     f"not {size}"))
        summed = read == "all" or (read == "changed" and stat.st_mtime_ns != written)
        if summed and crc(file) != value:
            raise IndexDamagedError(path, ValueError(f"{filename} has changed since it "
                                                     "was written"))
