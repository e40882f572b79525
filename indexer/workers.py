"""Writing the documents of the notes a run read: in this process, or in one per core.

Each worker opens the index without its lock, loads its share of the notes
from the spill they were read into (see reading.py), one at a time, carries
their sessions' history, and writes their event and session documents into a
segment of its own, which it returns; the parent, which holds the lock, adds
the segments to the index in its one commit. Whoosh's own multi-process
writer pickles every document to its workers, but our documents need topics
found by analysis first: doing that in the workers too is what lets both
cores tokenize, and the parent never holds the notes.
"""

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from kb.engine import IndexStore, Segment, SegmentBuilder

from kb.indexer.orphans import watch_parent
from kb.indexer.past import OldSessions
from kb.indexer.reading import Read, Spills

PROGRESS_EVERY = 50  # sessions between progress messages from a worker
STRETCH = 50  # sessions of one note that a worker writes, so that a big note is shared out


@dataclass(frozen=True)
class Job:
    """A note read to write, or a stretch of its sessions: [first, last).

    ``indexed`` maps the ids of the note's sessions indexed before (under the
    same path) to their hashes; ``before`` is the event record it had, whose
    history carries on. The job of a note's first stretch writes its event.
    """

    read: Read
    info: dict  # signature, digest and taxonomy of its file
    indexed: dict
    before: dict | None
    first: int = 0
    last: int | None = None


@dataclass(frozen=True)
class Written:
    """What writing a note tells the parent: its sessions' hashes, and renamings."""

    source: str
    event_id: str
    hashes: dict
    renamed: tuple
    renamed_event: tuple[str, str] | None


@dataclass(frozen=True)
class Run:
    """What every job of a run shares: the taxonomy, the time, where old sessions are read."""

    taxonomy: Any
    taxonomy_hash: str
    now: str
    store_path: str
    old_index: str | None  # name of the index old sessions are read from


def _init(queue, parent):
    global _progress  # a worker process's own channel back to the parent
    _progress = queue
    watch_parent(parent)


_progress = None


def write_jobs(jobs, run, sink, on_progress=None) -> tuple[list[Written], dict[str, list[str]]]:
    """Write the documents of ``jobs`` with ``sink`` (a Writer or a SegmentBuilder).

    Returns what was written of each note and the readings of its kanji words.
    """
    # here, not above: the parent imports this module before it knows it writes
    from kb.indexer.documents import event_document, session_document, session_records
    from kb.indexer.history import carry
    from kb.tagging import TopicTagger
    from kb.vocabulary import word_readings

    # the sink's own analyzer, so that tagging and indexing share its memory of texts
    tagger = TopicTagger(run.taxonomy, sink.analyzer("body"))
    spills, load = Spills(), OldSessions(run.store_path, run.old_index)
    written = []
    try:
        for job in jobs:
            event = spills.load(job.read)
            pairs = session_records(event, run.taxonomy_hash)
            kept = carry(job.before, event.id, [r for _, r in pairs], load, run.now)
            pairs = [(s, {**r, **kept.stamps(s.id)}) for s, r in pairs]
            hashes = {s.id: record["hash"] for s, record in pairs}
            if job.first == 0:
                texts = [r["title"] + "\n" + r["text"] for _, r in pairs]
                sink.add(event_document(event, job.info, hashes, run.taxonomy, texts, kept))
                written.append(Written(job.read.source, event.id, hashes, kept.renamed,
                                       kept.renamed_event))
            stretch = pairs[job.first:job.last]
            for session, record in stretch:
                if job.indexed.get(session.id) != record["hash"]:
                    sink.add(session_document(event, session, record, tagger))
            if on_progress is not None:
                on_progress(len(stretch))
        return written, word_readings(tagger.analyzer[0], tagger.words)
    finally:
        spills.close()
        load.close()


class _Progress:
    """Sessions done, sent to the parent every PROGRESS_EVERY."""

    def __init__(self) -> None:
        self.pending = 0

    def __call__(self, count: int) -> None:
        self.pending += count
        if self.pending >= PROGRESS_EVERY:
            self.flush()

    def flush(self) -> None:
        if _progress is not None and self.pending:
            _progress.put(self.pending)
        self.pending = 0


def index_share(run, indexname, jobs) -> tuple[list[Segment], list[Written], dict]:
    """Write ``jobs`` into new segments of the index ``indexname``, in a worker.

    Returns the segments, what was written of each note and the word readings.
    """
    builder = SegmentBuilder(IndexStore(run.store_path).open_named(indexname))
    try:
        progress = _Progress()
        written, readings = write_jobs(jobs, run, builder, progress)
        progress.flush()
        return builder.finish(), written, readings
    except BaseException:
        builder.cancel()
        raise


def split(jobs, parts) -> list[list[Job]]:
    """Split jobs into ``parts`` shares of about equal text size, big notes in stretches."""
    pieces = []
    for job in jobs:
        count, size = job.read.sessions, job.read.chars
        for first in range(0, max(count, 1), STRETCH):
            last = first + STRETCH if first + STRETCH < count else None
            share = min(count - first, STRETCH) / count if count else 1
            pieces.append((size * share, Job(job.read, job.info, job.indexed, job.before,
                                              first, last)))
    shares: list[list[Job]] = [[] for _ in range(parts)]
    sizes = [0.0] * parts
    for size, job in sorted(pieces, key=lambda p: -p[0]):
        smallest = sizes.index(min(sizes))
        shares[smallest].append(job)
        sizes[smallest] += size
    return [share for share in shares if share]


class Workers:
    """The processes of a run, one per core: started when first needed, then shared.

    The same processes read the notes, write them, and then compute parts of
    the snapshot: a second pool started for the writing spent about 0.3 s of
    processor time in each process importing kb again before it wrote anything.
    """

    def __init__(self, procs: int) -> None:
        self.procs = procs
        self._pool: ProcessPoolExecutor | None = None
        self._queue: Any = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # safe on every platform
            self._queue = context.Queue()
            self._pool = ProcessPoolExecutor(self.procs, mp_context=context, initializer=_init,
                                             initargs=(self._queue, os.getpid()))
        return self._pool

    def started(self) -> ProcessPoolExecutor | None:
        """The pool, if the run started it; None if it wrote in one process."""
        return self._pool

    def progress(self) -> Iterator[int]:
        """Counts of sessions written that workers reported since last asked."""
        while self._queue is not None and not self._queue.empty():
            yield self._queue.get()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._queue.close()
            self._queue.join_thread()
            self._pool = self._queue = None

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def index_in_parallel(run, indexname, jobs, workers: Workers, on_progress=None) \
        -> tuple[list[Segment], list[Written], dict[str, list[str]]]:
    """Write ``jobs`` with ``workers``; return the segments, what was written, readings."""
    pool = workers.pool()
    futures = [pool.submit(index_share, run, indexname, share)
               for share in split(jobs, workers.procs)]
    pending = set(futures)
    while pending:
        _, pending = wait(pending, timeout=0.2)
        for count in workers.progress():
            if on_progress:
                on_progress(count)
    segments, written, readings = [], [], {}
    for future in futures:
        made, notes, found = future.result()
        segments.extend(made)
        written.extend(notes)
        readings.update(found)
    return segments, written, readings


def default_procs() -> int:
    """Worker processes to use: one per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)
