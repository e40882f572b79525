"""Build and update a kb index from note files, incrementally.

Each note file is one event document plus one document per session. The event
document remembers the file's signature and each session's content hash, so an
unchanged file costs one ``stat`` and a changed file rewrites only the sessions
that changed. Files that disappeared from a folder being indexed lose their
documents; a file that cannot be read or parsed keeps its last good state.

A run reads every changed file first (the parsed notes wait in a spill file,
see ``reading.py``), then settles which note owns each event id (see
``identity.py``), then writes the notes (see ``workers.py``) and deletes what
they replace, which only ever touches documents that stood before the run:
one commit holds the whole change, so a moved note is never missing from the
index.

Each note read again keeps its sessions' history (see ``history.py``): when
kb first indexed each, when its notes last changed, and the ids it had. A
rebuild reads that history from the index it replaces, whatever its version.
"""

import contextlib
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from kb.engine import IndexStore
from kb.engine.guard import write_error
from kb.errors import KbError, NoteError
from kb.records import KIND_EVENT, KIND_READINGS, KIND_SESSION

from kb.indexer.filelist import event_records, keep_records, kept_records
from kb.indexer.identity import Paths, settle_ids
from kb.indexer.past import Past
from kb.indexer.reading import read_notes
from kb.indexer.sources import NOTE_SECONDS, find_note_files
from kb.indexer.workers import Job, Run, Workers, default_procs

# What only a run that writes uses (documents, analysis, tagging, workers) is
# imported where it is used: a run that finds nothing changed never loads it.

# Below this much text, starting worker processes costs more than it saves.
PARALLEL_CHARS = 1_000_000
READINGS_DOCUMENTS = 8  # kept from as many runs, then merged into one


@dataclass
class BuildReport:
    """What one ``kb index`` run did."""

    files: int = 0
    unchanged: int = 0
    added: int = 0  # sessions
    updated: int = 0
    removed: int = 0
    events: int = 0
    sessions: int = 0  # in the index after the run
    rebuilt: bool = False
    errors: list = field(default_factory=list)  # NoteError messages
    renamed: list = field(default_factory=list)  # (old id, new id) of sessions
    renamed_events: list = field(default_factory=list)  # (old id, new id) of events

    @property
    def ok(self) -> bool:
        return not self.errors


def file_signature(stat) -> list[int]:
    """What tells, without reading, that a file has not changed."""
    return [stat.st_size, stat.st_mtime_ns]


def indexed_files(reader, paths=None, records=None) -> tuple[dict[str, dict], list[dict]]:
    """Event records of the index by source path (spelled by ``paths``, a Paths, if given).

    ``records`` are the index's event records when already read (see filelist.py).
    Returns (records by path, duplicates): if two records spell the same file
    (as an index written before paths were spelled one way may hold), the
    first is kept and the others are duplicates, to be deleted.
    """
    spell = paths.source if paths else str
    known, duplicates = {}, []
    for rec in event_records(reader) if records is None else records:
        source = spell(rec["source"])
        if source in known:
            duplicates.append(rec)
        else:
            known[source] = rec
    return known, duplicates


def _count(reader, report) -> tuple[int, int]:
    """Set the report's counts of sessions and events to the reader's; return them."""
    report.sessions = len(reader.docnums(KIND_SESSION))
    report.events = len(reader.docnums(KIND_EVENT))
    return report.sessions, report.events


def _utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8: a file name of bytes that are not
    UTF-8 reaches Python with lone surrogates in it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _covers(roots, source):
    """Whether ``source`` lies in one of the folders or is one of the files given."""
    return any(source == root or source.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


@dataclass
class Plan:
    """What a run will write: files read, their events, and the files gone."""

    parsed: dict = field(default_factory=dict)  # source -> (Read, file info)
    gone: list = field(default_factory=list)  # records of files no longer there


class Builder:
    """Bring an index up to date with the note files under some paths."""

    def __init__(self, store, taxonomy, taxonomy_hash="", progress=None, wait=None, procs=None,
                 parallel_chars=PARALLEL_CHARS, note_seconds=NOTE_SECONDS) -> None:
        self.store = store
        self.taxonomy = taxonomy
        self.taxonomy_hash = taxonomy_hash
        self.progress = progress if progress is not None else sys.stderr.isatty()
        self.wait = wait
        self.procs = procs or default_procs()
        self.parallel_chars = parallel_chars
        self.note_seconds = note_seconds

    def run(self, paths, rebuild=False) -> BuildReport:
        """Index ``paths`` (files or folders); return a :class:`BuildReport`."""
        report = BuildReport()
        spelling = Paths()
        roots, files = [], []
        for path in paths:
            root = spelling.root(path) if os.path.lexists(path) else os.path.abspath(path)
            found, errors = find_note_files(Path(root) if os.path.lexists(path) else Path(path))
            report.errors.extend(errors)
            files.extend(found)
            roots.append(root)
        with self.store.lock(wait=self.wait), Workers(self.procs) as workers:
            try:
                self._run(files, roots, spelling, rebuild, report, workers)
            except OSError as exc:
                error = write_error(self.store.path, exc)
                if error is None:
                    raise
                self.store.clean()  # no half-written segment stays behind
                raise error from None
        return report

    def _run(self, files, roots, spelling, rebuild, report, workers):
        if not rebuild and self.store.pointer() and not self.store.exists():
            # a new schema: rebuild, keeping notes indexed from other folders
            files += [Path(spelling.source(p)) for p in self.store.previous_sources()
                      if Path(p).is_file()]
        files = list(dict.fromkeys(files))
        report.files = len(files)
        rebuild = rebuild or not self.store.exists()
        kept: list[dict] | None = []  # the kept file list read, if any (see filelist.py)
        if rebuild:
            index = self.store.create()
            known, duplicates, before = {}, [], (0, 0)
            past = self._replaced(spelling)
        else:
            index = self.store.open()
            with index.reader(check="sums") as reader:  # never update a damaged index
                reader.verify()
                kept = kept_records(reader, index.path)
                records = event_records(reader) if kept is None else kept
                known, duplicates = indexed_files(reader, spelling, records)
                before, generation = _count(reader, report), reader.generation[1]
            past = Past(known, index.reader(check="none"), index.name)
        report.rebuilt = rebuild
        started, stored = None, None  # the snapshot's parts set going, the event records read
        try:
            try:
                written = self._update(index, files, roots, known, duplicates, report, past,
                                       workers)
            finally:
                past.close()  # before a rebuild's publishing removes what it read
            if rebuild:
                from kb.generation import start_snapshot

                # the workers, idle now, compute the snapshot's costliest parts while
                # this process checks what they wrote; kept only once it is published
                started = start_snapshot(index, workers.started())
            if written or rebuild:
                index.record_sums()
                # never report success over what cannot be read
                with index.reader(check="sums") as reader:
                    reader.verify()
                    _count(reader, report)
                    if rebuild:  # what the next run reads of it
                        stored = event_records(reader)
                        keep_records(index.path, index.name, reader.generation[1], stored)
            else:  # the generation checked and counted before: no second read of every file
                report.sessions, report.events = before
                if kept is None:
                    with contextlib.suppress(OSError):  # only the next run's shortcut is lost
                        keep_records(index.path, index.name, generation, records)
        except BaseException:
            if rebuild:  # never published: the files of the new index go
                self.store.discard(index.name)
            raise
        if rebuild:
            from kb.generation import store_snapshot

            self.store.publish(index.name)
            # what every search server would compute for this generation, kept beside
            # it (after an update, the first server to open the new generation keeps it)
            store_snapshot(self.store.path, started=started, records=stored)

    def _replaced(self, spelling):
        """The Past of the index a rebuild replaces, whatever its version (empty if unreadable)."""
        pointer = self.store.pointer()
        if not pointer:
            return Past()
        reader = None
        try:
            reader = self.store.open_named(pointer["name"]).reader(check="none")
            return Past(indexed_files(reader, spelling)[0], reader, pointer["name"])
        except Exception:  # damaged, or of a kb too old to read: history starts again
            if reader is not None:
                reader.close()
            return Past()

    def _read(self, files, known, report, folder, workers):
        """Read and parse what changed into a spill in ``folder``; return a Plan.

        Files that fail keep their state.
        """
        plan, todo, infos, size = Plan(), [], {}, 0
        for path in files:
            source = str(path)
            if not _utf8(source):  # a name no index field, hash or page can hold
                shown = os.fsencode(source).decode("utf-8", "backslashreplace")
                report.errors.append(str(NoteError(
                    shown, 0, "cannot be indexed: its name is not UTF-8; rename the file")))
                continue
            try:
                stat = path.stat()
            except OSError as exc:
                report.errors.append(str(NoteError(source, 0, f"cannot read: {exc.strerror}")))
                continue
            old = known.get(source)
            signature = file_signature(stat)
            if old and old["signature"] == signature and old["source"] == source \
                    and old.get("taxonomy") == self.taxonomy_hash:
                report.unchanged += 1
                continue
            todo.append(source)
            infos[source] = signature
            size += stat.st_size
        # much to read is read by one process per core, as much to index is indexed
        procs = self.procs if size >= self.parallel_chars else 1
        reads = read_notes(todo, folder, self.note_seconds, procs,
                           workers.pool() if procs > 1 else None)
        for read in self._progress(reads, len(todo)):
            if read.error is not None:
                report.errors.append(read.error)
            else:  # event_id None: a draft
                plan.parsed[read.source] = (read, {"signature": infos[read.source],
                                                   "digest": read.digest,
                                                   "taxonomy": self.taxonomy_hash})
        return plan

    def _plan(self, files, roots, known, duplicates, report, folder, workers):
        """The Plan of a run: what was read, with event ids settled across every file."""
        plan = self._read(files, known, report, folder, workers)
        listed = {str(f) for f in files}
        gone = {s for s in known if s not in listed and _covers(roots, s)}
        claims = {s: read.event_id for s, (read, _) in plan.parsed.items()}
        held = {s: rec["id"] for s, rec in known.items()
                if s not in plan.parsed and s not in gone}
        wanted = set(claims.values())
        # a note indexed from elsewhere whose file is gone cannot keep an id another claims
        gone |= {s for s, event_id in held.items() if event_id in wanted
                 and not os.path.lexists(s)}
        held = {s: i for s, i in held.items() if s not in gone}
        incumbents = {s: rec["id"] for s, rec in known.items()}
        for source, owner in settle_ids(held, claims, incumbents).items():
            report.errors.append(str(NoteError(
                source, 1, f"event id {claims[source]!r} is already used by {owner}: "
                           "give this note its own 'id:'")))
            del plan.parsed[source]
        plan.gone = [known[s] for s in sorted(gone)] + duplicates
        return plan

    def _update(self, index, files, roots, known, duplicates, report, past, workers):
        """Write what changed in one commit; return whether anything was written."""
        # parsed notes wait on disk beside the index (never in memory) until written;
        # a killed run's folder goes with the next run's clean (see IndexStore.clean)
        with tempfile.TemporaryDirectory(prefix=".kb-read-", suffix=".tmp",
                                         dir=self.store.path) as folder:
            plan = self._plan(files, roots, known, duplicates, report, folder, workers)
            if not plan.parsed and not plan.gone:
                return False
            self._write(index, plan, known, report, past, workers)
        return True

    def _write(self, index, plan, known, report, past, workers):
        """Delete what went or changed and add what is new, in one commit."""
        from kb.indexer.history import stamp

        run = Run(self.taxonomy, self.taxonomy_hash, stamp(time.time_ns()), str(self.store.path),
                  past.name)
        writer = index.writer()
        try:
            for rec in plan.gone:
                writer.delete("source", rec["source"])
                report.removed += len(rec["sessions"])
            jobs = []
            for source, (read, info) in plan.parsed.items():
                old = known.get(source)
                if read.event_id is None:  # a draft now: what was indexed of it goes
                    self._delete_changed(writer, None, source, {}, old, report, ())
                    continue
                indexed = old["sessions"] if old and old["source"] == source else {}
                jobs.append(Job(read, info, indexed,
                                past.before(source, read.event_id, plan.parsed)))
            segments, written, readings = self._add(index, writer, jobs, run, workers)
            order = {source: n for n, source in enumerate(plan.parsed)}
            # only what stood before this run is deleted: never a document it adds
            for note in sorted(written, key=lambda w: order[w.source]):
                report.renamed.extend(note.renamed)
                if note.renamed_event:
                    report.renamed_events.append(note.renamed_event)
                old = known.get(note.source)
                self._delete_changed(writer, note.event_id, note.source, note.hashes, old,
                                     report, note.renamed)
                self._count(note, old, report)
            if readings:
                self._keep_readings(index, writer, readings)
            writer.commit(segments)
            writer = None
        finally:
            if writer is not None:
                writer.cancel()

    @staticmethod
    def _delete_changed(writer, event_id, source, hashes, old, report, renamed):
        """Delete the documents a read file changes: its sessions that changed, its event's.

        ``event_id`` is None for a draft; ``hashes`` map its sessions' ids now to
        their hashes; ``renamed`` lists (old id, new id) of its sessions.
        """
        if event_id is not None:
            # the id may have been another note's, which lets it go in this run
            writer.delete("id", event_id)
        if old is None:
            return
        if event_id is None or old["source"] != source:
            # a draft now, or indexed under another spelling of its path: all of it goes
            writer.delete("source", old["source"])
            report.removed += len(old["sessions"]) if event_id is None else 0
            return
        gone = {old_id for old_id, _ in renamed}
        for session_id, old_hash in old["sessions"].items():
            if hashes.get(session_id) != old_hash:
                writer.delete("id", session_id)
                if session_id not in hashes and session_id not in gone:
                    report.removed += 1
        writer.delete("id", old["id"])

    @staticmethod
    def _count(note, old, report):
        """Count a written note's sessions that are new or changed in the report."""
        kept = old["sessions"] if old and old["source"] == note.source else {}
        renamed = {new_id for _, new_id in note.renamed}
        for session_id, new_hash in note.hashes.items():
            if kept.get(session_id) == new_hash:
                continue
            if session_id in kept:
                report.updated += 1
            elif session_id not in renamed:
                report.added += 1

    @staticmethod
    def _keep_readings(index, writer, readings):
        """Keep how this run's kanji words read; merge what earlier runs kept now and then."""
        from kb.indexer.documents import readings_document
        from kb.vocabulary import stored_readings

        with index.reader(check="none") as reader:
            if len(reader.docnums(KIND_READINGS)) >= READINGS_DOCUMENTS:
                readings = {**stored_readings(reader), **readings}
                writer.delete("kind", KIND_READINGS)
        writer.add(readings_document(readings, f"{time.time_ns():x}"))

    def _add(self, index, writer, jobs, run, workers):
        """Write the documents of ``jobs``: in this process, or in workers when there is much.

        Returns the workers' segments, what was written of each note, and the
        readings of the sessions' kanji words.
        """
        from kb.indexer.workers import index_in_parallel, write_jobs

        chars = sum(job.read.chars for job in jobs)
        bar = self._bar(sum(job.read.sessions for job in jobs), "sessions")
        update = bar.update if bar else None
        try:
            if self.procs > 1 and chars >= self.parallel_chars and index.caps.segment_writer:
                return index_in_parallel(run, index.name, jobs, workers, update)
            return [], *write_jobs(jobs, run, writer, update)
        finally:
            if bar:
                bar.close()

    def _bar(self, total, unit):
        if not self.progress or total < 2:
            return None
        from tqdm import tqdm

        return tqdm(total=total, desc="indexing", unit=unit, leave=False)

    def _progress(self, reads, total):
        if not self.progress or total < 2:
            return reads
        from tqdm import tqdm

        return tqdm(reads, desc="reading", total=total, unit="file", leave=False)


def build_index(index_dir, paths, taxonomy, taxonomy_hash="", rebuild=False, **options) -> BuildReport:
    """Index ``paths`` into ``index_dir``; a convenience for the CLI and tests."""
    if not paths:
        raise KbError("nothing to index: give note files or folders")
    return Builder(IndexStore(index_dir), taxonomy, taxonomy_hash, **options).run(paths, rebuild)
