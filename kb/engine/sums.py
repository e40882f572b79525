"""Checksums of an index's files, to tell a damaged index from a sound one.

Whoosh keeps no checksums, and a flipped byte in a term file is read as a
wrong word rather than an error. After each commit the writer records the
size and CRC32 of every file of the index's current generation in a sidecar
file; a reader of that generation can then check the sizes (at no cost) or
the sums too (a read of every file: what ``kb index`` and ``kb search`` do).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

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


def check(path: Path, name: str, generation: int, full: bool = False) -> None:
    """Raise IndexDamagedError when a file of this generation is missing, cut or changed.

    Sums of another generation (a commit happened since) are not compared.
    """
    try:
        data = json.loads(sums_file(path, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # an index written before sums were kept: nothing to compare
    if data.get("generation") != generation:
        return
    for filename, (size, value, _) in data["files"].items():
        file = path / filename
        try:
            actual = file.stat().st_size
        except FileNotFoundError:
            raise IndexDamagedError(path, FileNotFoundError(f"{filename} is missing")) from None
        if actual != size:
            raise IndexDamagedError(path, ValueError(f"{filename} has {actual} bytes, "
                                                     f"not {size}"))
        if full and crc(file) != value:
            raise IndexDamagedError(path, ValueError(f"{filename} has changed since it "
                                                     "was written"))
