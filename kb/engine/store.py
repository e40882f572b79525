"""Where an index lives: a folder with whoosh files and a pointer file.

The pointer (``kb-index.json``) names the whoosh index that readers open and
its schema version. A rebuild writes a new whoosh index beside the old one and
then replaces the pointer atomically, so readers see the old index or the new
one, never a half-written one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import mmap
import os
import shutil
import time
import weakref
from pathlib import Path
from typing import Iterator

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from kb.engine.compat import Capabilities, capabilities
from kb.engine.guard import guarded, write_error
from kb.engine.index import Index
from kb.engine.schema import SCHEMA_VERSION, build_schema
from kb.errors import IndexBusyError, KbError

POINTER = "kb-index.json"
STORED_FILE = "._stored.col"  # whoosh's column of each document's stored fields
LOCK = "kb-index.lock"


class MappedFile(StructFile):
    """An index file read through a memory map."""

    def get(self, position, length) -> bytes:
        return self.file[position:position + length]


class Descriptor:
    """A file open for reading, read by position (safe from several threads at once).

    Closed by ``close()`` or when dropped: a reader of an older generation is
    let go of by the garbage collector while a search may still hold it.
    """

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDONLY)
        self.at = 0
        self.close = weakref.finalize(self, os.close, self.fd)

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = os.fstat(self.fd).st_size - self.at
        data = os.pread(self.fd, size, self.at)
        self.at += len(data)
        return data

    def seek(self, at: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.at}.get(whence)
        self.at = at + (os.fstat(self.fd).st_size if base is None else base)
        return self.at

    def tell(self) -> int:
        return self.at


class ReadFile(StructFile):
    """An index file read by position: each read copies what it asks for, and maps nothing."""

    def get(self, position, length) -> bytes:
        return os.pread(self.file.fd, length, position)


class MappedStorage(FileStorage):
    """Whoosh's file storage, reading files through memory maps.

    Whoosh reads a compound segment by copying each of its parts into memory
    (the whole index, in every server process) and a plain one by a seek and a
    read per access. Mapped, files are read in place from pages the processes
    share, and no file stays open.

    Except the stored fields: a record is a few KB read alone, and a read
    through a map maps the 64 KB around it (the kernel's fault-around). At
    100k sessions a server's mapped pages of them grew by 250 MB in 500
    searches; read by position they stay in the page cache, outside it.
    """

    def open_file(self, name, **kwargs) -> StructFile:
        if name.endswith(STORED_FILE):
            return ReadFile(Descriptor(self._fpath(name)), name=name, **kwargs)
        with open(self._fpath(name), "rb") as f:
            if os.fstat(f.fileno()).st_size == 0:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        return MappedFile(mapped, name=name, **kwargs)


def storage(path: Path | str, caps: Capabilities | None = None) -> FileStorage:
    """Whoosh's storage of an index folder: mapped when this whoosh allows it."""
    caps = caps or capabilities()
    return (MappedStorage if caps.mapped_files else FileStorage)(str(path))


class IndexStore:
    """One index folder: open the current index, create a new one, lock writers."""

    def __init__(self, path: Path | str, caps: Capabilities | None = None) -> None:
        self.path = Path(path)
        self.caps = caps or capabilities()

    def pointer(self) -> dict | None:
        """The pointer's content, or None when there is no index yet."""
        try:
            with open(self.path / POINTER, encoding="utf-8") as fp:
                data = json.load(fp)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise KbError(f"{self.path / POINTER}: unreadable index pointer ({exc})") from None
        return data if isinstance(data, dict) and "name" in data else None

    def exists(self) -> bool:
        """Whether an index of the current schema version is here."""
        pointer = self.pointer()
        return pointer is not None and pointer.get("schema_version") == SCHEMA_VERSION

    def open(self, empty_if_missing: bool = False) -> Index:
        """Open the current index (with ``empty_if_missing``, an empty one when there is none yet)."""
        pointer = self.pointer()
        if not pointer and empty_if_missing:
            return Index.empty(self.path, self.caps)
        if not pointer:
            raise KbError(f"no index in {self.path}: run 'kb index' first")
        if pointer.get("schema_version") != SCHEMA_VERSION:
            raise KbError(f"the index in {self.path} was built by another version of kb: "
                          "run 'kb index' to rebuild it")
        return self.open_named(pointer["name"])

    @guarded
    def open_named(self, name: str) -> Index:
        """Open the index ``name`` of this folder, current or not (a worker writing into it)."""
        ix = storage(self.path, self.caps).open_index(indexname=name)
        return Index(ix, name, self.path, self.caps)

    def previous_sources(self) -> list[str]:
        """Note files indexed by the current index, whatever its schema version."""
        pointer = self.pointer()
        if pointer is None:
            return []
        try:
            index = self.open_named(pointer["name"])
            with index.reader() as reader:
                return [doc["source"] for doc in reader.documents("event") if doc.get("source")]
        except Exception:  # an index we cannot read has nothing to carry over
            return []

    def create(self) -> Index:
        """Create an empty index under a fresh name; it is not current until published."""
        self.path.mkdir(parents=True, exist_ok=True)
        name = f"kb{SCHEMA_VERSION}_{time.time_ns():x}"
        ix = storage(self.path, self.caps).create_index(build_schema(), indexname=name)
        return Index(ix, name, self.path, self.caps)

    def publish(self, name: str) -> None:
        """Make the index ``name`` current, then remove the files of older ones."""
        tmp = self.path / f".{POINTER}.{os.getpid()}"
        tmp.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "name": name}),
                       encoding="utf-8")
        os.replace(tmp, self.path / POINTER)
        self.remove_others(name)

    def clean(self) -> None:
        """Remove what a writer that failed or was killed left of the current index.

        Its segments that no table of contents names, and the temporary
        folders whoosh spills postings into. Only the lock holder calls this.
        """
        for entry in self.path.iterdir():
            if entry.name.endswith(".tmp") and entry.name.startswith(("kb", "_kb", ".kb")):
                with contextlib.suppress(OSError):
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        pointer = self.pointer()
        if not pointer:
            return
        with contextlib.suppress(Exception):  # a damaged index is reported when it is read
            index = self.open_named(pointer["name"])
            index.remove_unused_files()

    def discard(self, name: str) -> None:
        """Remove the files of the index ``name`` (one that was never published)."""
        for entry in self.path.iterdir():
            if name in entry.name and entry.name not in (POINTER, LOCK):
                with contextlib.suppress(OSError):
                    shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() \
                        else entry.unlink()

    def remove_others(self, name: str) -> None:
        """Remove the files of every whoosh index here but ``name``.

        Old indexes, and what a rebuild killed before it published left behind
        (segments, a ``.tmp`` folder), which nothing else would ever remove.
        """
        for entry in self.path.iterdir():
            if entry.name.startswith(("kb", "_kb", ".kb")) and name not in entry.name \
                    and entry.name not in (POINTER, LOCK):
                with contextlib.suppress(OSError):
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry)
                    else:
                        entry.unlink()

    @contextlib.contextmanager
    def lock(self, wait: float | None = None) -> Iterator[None]:
        """Hold the folder's write lock; wait up to ``wait`` seconds for another writer."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path / LOCK, os.O_CREAT | os.O_WRONLY, 0o644)
        except OSError as exc:
            raise (write_error(self.path, exc) or exc) from None
        try:
            deadline = None if wait is None else time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() >= deadline:
                        raise IndexBusyError(
                            f"another 'kb index' is writing to {self.path}; "
                            "try again when it has finished") from None
                    time.sleep(0.1)
            with contextlib.suppress(KbError):  # an unreadable pointer is reported later
                pointer = self.pointer()
                if pointer:  # only the lock holder writes: any other index is left over
                    self.remove_others(pointer["name"])
                self.clean()
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock, even on kill -9
