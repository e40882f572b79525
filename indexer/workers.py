"""Tokenizing and writing sessions in parallel processes.

Each worker opens the index without its lock, writes its share of the
sessions into a segment of its own and returns that segment; the parent, which
holds the lock, adds the segments to the index in its one commit. Whoosh's own
multi-process writer pickles every document to its workers, but our documents
need topics found by analysis first: doing that in the workers too is what
lets both cores tokenize.
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, wait

from kb.engine import IndexStore, Segment, SegmentBuilder

from kb.indexer.orphans import watch_parent

PROGRESS_EVERY = 50  # sessions between progress messages from a worker


def _init(queue, parent):
    global _progress  # a worker process's own channel back to the parent
    _progress = queue
    watch_parent(parent)


_progress = None


def index_sessions(index_path, indexname, taxonomy, work) -> tuple[list[Segment], dict[str, list[str]]]:
    """Write the sessions of ``work`` [(event, [(session, record)])] into new segments.

    Returns the segments and the readings of the sessions' kanji words.
    """
    # here, not above: the parent imports this module for default_procs alone
    from kb.indexer.documents import session_document
    from kb.tagging import TopicTagger
    from kb.vocabulary import word_readings

    builder = SegmentBuilder(IndexStore(index_path).open_named(indexname))
    # the builder's own analyzer, so that tagging and indexing share its memory of texts
    tagger = TopicTagger(taxonomy, builder.analyzer("body"))
    try:
        done = 0
        for event, pairs in work:
            for session, record in pairs:
                builder.add(session_document(event, session, record, tagger))
                done += 1
                if _progress is not None and done % PROGRESS_EVERY == 0:
                    _progress.put(PROGRESS_EVERY)
        if _progress is not None and done % PROGRESS_EVERY:
            _progress.put(done % PROGRESS_EVERY)
        readings = word_readings(tagger.analyzer[0], tagger.words)
        return builder.finish(), readings
    except BaseException:
        builder.cancel()
        raise


def split(work, parts) -> list[list]:
    """Split [(event, pairs)] into ``parts`` shares of about equal text size."""
    shares = [[] for _ in range(parts)]
    sizes = [0] * parts
    pieces = []
    for event, pairs in work:
        for i in range(0, len(pairs), 50):  # big events are shared out too
            chunk = pairs[i:i + 50]
            pieces.append((sum(len(r["text"]) + len(r["title"]) for _, r in chunk), event, chunk))
    for size, event, chunk in sorted(pieces, key=lambda p: -p[0]):
        smallest = sizes.index(min(sizes))
        shares[smallest].append((event, chunk))
        sizes[smallest] += size
    return [share for share in shares if share]


def index_in_parallel(index_path, indexname, taxonomy, work, procs, on_progress=None,
                      meanwhile=None) -> tuple[list[Segment], dict[str, list[str]]]:
    """Write ``work`` with ``procs`` processes; return the new segments and word readings.

    ``meanwhile()``, if given, runs in this process while the workers work.
    """
    context = multiprocessing.get_context("spawn")  # safe on every platform
    queue = context.Queue()
    shares = split(work, procs)
    with ProcessPoolExecutor(len(shares), mp_context=context,
                             initializer=_init, initargs=(queue, os.getpid())) as pool:
        futures = [pool.submit(index_sessions, index_path, indexname, taxonomy, share)
                   for share in shares]
        if meanwhile is not None:
            try:
                meanwhile()
            except BaseException:
                pool.shutdown(cancel_futures=True)
                raise
        pending = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.2)
            while not queue.empty():
                count = queue.get()
                if on_progress:
                    on_progress(count)
        segments, readings = [], {}
        for future in futures:
            written, found = future.result()
            segments.extend(written)
            readings.update(found)
        return segments, readings


def default_procs() -> int:
    """Worker processes to use: one per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)
