"""Reading changed notes, in as many processes as cores, into a spill file on disk.

A run settles every changed note's event id before it writes anything (see
identity.py), but holding every parsed note until then took 1.4 GB at
100,000 sessions. So each note is read and parsed once, by a worker: what the
run plans with (the note's event id, or its error) comes back to the parent,
and the parsed event goes to a spill file, from which the process that
indexes the note loads it again, one note at a time.
"""

import contextlib
import gc
import hashlib
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat

from kb.errors import NoteError
from kb.model import Event

from kb.indexer.orphans import watch_parent
from kb.indexer.sources import parse_source, read_note

BATCH = 64  # notes a worker reads between answers: few enough to show progress


@dataclass(frozen=True)
class Read:
    """One note read: what planning needs of it, and where its parsed event waits."""

    source: str
    digest: str = ""  # of the file's bytes
    event_id: str | None = None  # None: a draft, or unreadable (then ``error`` says why)
    error: str | None = None
    sessions: int = 0
    chars: int = 0  # of its sessions' titles and notes: how much there is to analyse
    spill: tuple[str, int, int] | None = None  # (file, offset, length) of the pickled event


class Spills:
    """Parsed events loaded back from spill files, each file opened once."""

    def __init__(self) -> None:
        self._files: dict = {}

    def load(self, read: Read) -> Event:
        """The event of a note read into a spill."""
        if read.spill is None:
            raise ValueError(f"{read.source} was not spilled")
        name, offset, length = read.spill
        fp = self._files.get(name)
        if fp is None:
            fp = self._files[name] = open(name, "rb")
        fp.seek(offset)
        return pickle.loads(fp.read(length))

    def close(self) -> None:
        for fp in self._files.values():
            fp.close()
        self._files.clear()


def _read_one(source, seconds, spill, name):
    """Read and parse one note; its event appended to ``spill`` (the open file ``name``)."""
    try:
        data = read_note(source)
    except OSError as exc:
        return Read(source, error=str(NoteError(source, 0, f"cannot read: {exc.strerror}")))
    digest = hashlib.sha256(data).hexdigest()
    try:
        event = parse_source(data, source, seconds)
    except NoteError as exc:
        return Read(source, digest, error=str(exc))
    if event is None:
        return Read(source, digest)
    blob = pickle.dumps(event, protocol=pickle.HIGHEST_PROTOCOL)
    offset = spill.tell()
    spill.write(blob)
    chars = sum(len(s.title) + len(s.text) for s in event.sessions)
    return Read(source, digest, event.id, sessions=len(event.sessions), chars=chars,
                spill=(name, offset, len(blob)))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the block, if it was on.

    Parsing a thousand notes makes about a million small objects that reference
    counting frees: the collector's passes over them took a tenth of the
    reading time, to find a few hundred cycles, collected when the block ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read_batch(number: int, sources: list[str], folder: str, seconds: float | None) -> list[Read]:
    """Read and parse notes, their events spilled into the file ``number`` of ``folder``."""
    name = os.path.join(folder, f"{number}.events")
    with open(name, "wb") as spill, _collector_paused():
        return [_read_one(source, seconds, spill, name) for source in sources]


def read_notes(sources: list[str], folder: str, seconds: float | None, procs: int = 1,
               pool: Executor | None = None) -> Iterator[Read]:
    """A Read per note of ``sources``, in their order; read by ``procs`` processes.

    Parsing Markdown is pure Python: with ``procs`` > 1 each process reads its
    share (each under its own time limit per note), in ``pool`` when given (the
    processes that go on to write the notes), else in a pool of its own.
    """
    size = max(1, min(BATCH, len(sources) // (procs * 8)))
    batches = [sources[i:i + size] for i in range(0, len(sources), size)]
    if procs <= 1 or len(batches) < 2:
        for number, batch in enumerate(batches):
            yield from read_batch(number, batch, folder, seconds)
        return
    with contextlib.ExitStack() as stack:
        if pool is None:
            context = multiprocessing.get_context("spawn")  # safe on every platform
            pool = stack.enter_context(ProcessPoolExecutor(
                procs, mp_context=context, initializer=watch_parent, initargs=(os.getpid(),)))
        for reads in pool.map(read_batch, range(len(batches)), batches, repeat(folder),
                              repeat(seconds)):
            yield from reads
