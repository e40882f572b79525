"""Build and update a kb index from note files, incrementally.

Each note file is one event document plus one document per session. The event
document remembers the file's signature and each session's content hash, so an
unchanged file costs one ``stat`` and a changed file rewrites only the sessions
that changed. Files that disappeared from a folder being indexed lose their
documents; a file that cannot be read or parsed keeps its last good state.
"""

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kb.engine import IndexStore
from kb.engine.guard import write_error
from kb.errors import KbError, NoteError
from kb.records import KIND_EVENT, KIND_READINGS, KIND_SESSION
from kb.tagging import TopicTagger
from kb.vocabulary import stored_readings, word_readings

from kb.indexer.documents import (event_document, readings_document, session_document,
                                session_records)
from kb.indexer.sources import find_note_files, parse_source, read_note
from kb.indexer.workers import default_procs, index_in_parallel

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

    @property
    def ok(self):
        return not self.errors


def file_signature(stat):
    """What tells, without reading, that a file has not changed."""
    return [stat.st_size, stat.st_mtime_ns]


def indexed_files(reader):
    """Event records of the index (stored dicts), by source path."""
    return {rec["source"]: rec for rec in
            (doc["record"] for doc in reader.documents(KIND_EVENT))}


def _covers(roots, source):
    """Whether ``source`` lies in one of the folders or is one of the files given."""
    return any(source == root or source.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


class Builder:
    """Bring an index up to date with the note files under some paths."""

    def __init__(self, store, taxonomy, taxonomy_hash="", progress=None, wait=None, procs=None,
                 parallel_chars=PARALLEL_CHARS):
        self.store = store
        self.taxonomy = taxonomy
        self.taxonomy_hash = taxonomy_hash
        self.progress = progress if progress is not None else sys.stderr.isatty()
        self.wait = wait
        self.procs = procs or default_procs()
        self.parallel_chars = parallel_chars

    def run(self, paths, rebuild=False):
        """Index ``paths`` (files or folders); return a :class:`BuildReport`."""
        report = BuildReport()
        roots, files = [], []
        for path in paths:
            found, errors = find_note_files(Path(path))
            report.errors.extend(errors)
            files.extend(found)
            roots.append(os.path.abspath(path))
        with self.store.lock(wait=self.wait):
            try:
                self._run(files, roots, rebuild, report)
            except OSError as exc:
                error = write_error(self.store.path, exc)
                if error is None:
                    raise
                self.store.clean()  # no half-written segment stays behind
                raise error from None
        return report

    def _run(self, files, roots, rebuild, report):
        if not rebuild and self.store.pointer() and not self.store.exists():
            # a new schema: rebuild, keeping notes indexed from other folders
            files += [Path(p) for p in self.store.previous_sources() if Path(p).is_file()]
        files = list(dict.fromkeys(files))
        report.files = len(files)
        rebuild = rebuild or not self.store.exists()
        if rebuild:
            index = self.store.create()
            known = {}
        else:
            index = self.store.open()
            with index.reader(check="sums") as reader:  # never update a damaged index
                known = indexed_files(reader)
        report.rebuilt = rebuild
        try:
            self._update(index, files, roots, known, report)
            index.record_sums()
            with index.reader(check="sums") as reader:  # never report success over what cannot be read
                reader.verify()
                report.sessions = len(reader.docnums(KIND_SESSION))
                report.events = len(reader.docnums(KIND_EVENT))
        except BaseException:
            if rebuild:  # never published: the files of the new index go
                self.store.discard(index.name)
            raise
        if rebuild:
            self.store.publish(index.name)

    def _plan(self, files, known, report):
        """Parse what changed; yield (source, event or None, file info)."""
        owners = {rec["id"]: src for src, rec in known.items()}
        for path in self._progress(files):  # parsing is quick; the bar shows reading
            source = str(path)
            try:
                stat = path.stat()
                old = known.get(source)
                signature = file_signature(stat)
                if old and old["signature"] == signature \
                        and old.get("taxonomy") == self.taxonomy_hash:
                    report.unchanged += 1
                    continue
                data = read_note(path)
            except OSError as exc:
                report.errors.append(str(NoteError(source, 0, f"cannot read: {exc.strerror}")))
                continue
            info = {"signature": signature, "digest": hashlib.sha256(data).hexdigest(),
                    "taxonomy": self.taxonomy_hash}
            try:
                event = parse_source(data, source)
            except NoteError as exc:
                report.errors.append(str(exc))
                continue
            if event is None:  # a draft or a file of no kb format
                yield source, None, info
                continue
            owner = owners.get(event.id)
            if owner and owner != source:
                report.errors.append(str(NoteError(
                    source, 1, f"event id {event.id!r} is already used by {owner}: "
                               "give this note its own 'id:'")))
                continue
            owners[event.id] = source
            yield source, event, info

    def _update(self, index, files, roots, known, report):
        writer = None
        seen = set()
        work = []  # (event, [(session, record)]) to add
        try:
            for source, event, file_info in self._plan(files, known, report):
                seen.add(source)
                writer = writer or index.writer()
                pairs = self._replace_file(writer, source, event, file_info, known.get(source), report)
                if pairs:
                    work.append((event, pairs))
            seen.update(str(f) for f in files)
            for source, rec in known.items():
                if source not in seen and _covers(roots, source):
                    writer = writer or index.writer()
                    writer.delete("source", source)
                    report.removed += len(rec["sessions"])
            if writer is not None:
                segments, readings = self._add_sessions(index, writer, work)
                if readings:
                    self._keep_readings(index, writer, readings)
                writer.commit(segments)
                writer = None
        finally:
            if writer is not None:
                writer.cancel()

    def _replace_file(self, writer, source, event, file_info, old, report):
        """Delete what changed in a file and write its event; return the sessions to add."""
        old_sessions = old["sessions"] if old else {}
        if event is None:
            if old:
                writer.delete("source", source)
                report.removed += len(old_sessions)
            return []
        pairs = session_records(event, self.taxonomy_hash)
        hashes = {s.id: record["hash"] for s, record in pairs}
        for session_id, old_hash in old_sessions.items():
            if hashes.get(session_id) != old_hash:
                writer.delete("id", session_id)
                if session_id not in hashes:
                    report.removed += 1
        if old and old["id"] != event.id:
            writer.delete("id", old["id"])
        writer.delete("id", event.id)
        texts = [r["title"] + "\n" + r["text"] for _, r in pairs]
        writer.add(event_document(event, file_info, hashes, self.taxonomy, texts))
        changed = [(s, r) for s, r in pairs if old_sessions.get(s.id) != r["hash"]]
        report.updated += sum(1 for s, _ in changed if s.id in old_sessions)
        report.added += sum(1 for s, _ in changed if s.id not in old_sessions)
        return changed

    @staticmethod
    def _keep_readings(index, writer, readings):
        """Keep how this run's kanji words read; merge what earlier runs kept now and then."""
        with index.reader() as reader:
            if len(reader.docnums(KIND_READINGS)) >= READINGS_DOCUMENTS:
                readings = {**stored_readings(reader), **readings}
                writer.delete("kind", KIND_READINGS)
        writer.add(readings_document(readings, f"{time.time_ns():x}"))

    def _add_sessions(self, index, writer, work):
        """Add new and changed sessions: in this process, or in workers when there is much.

        Returns the workers' segments and the readings of the sessions' kanji words.
        """
        chars = sum(len(r["text"]) for _, pairs in work for _, r in pairs)
        sessions = sum(len(pairs) for _, pairs in work)
        bar = self._bar(sessions, "sessions")
        try:
            if self.procs > 1 and chars >= self.parallel_chars and index.caps.segment_writer:
                return index_in_parallel(self.store.path, index.name, self.taxonomy, work,
                                         self.procs, bar.update if bar else None)
            # the writer's own analyzer, so its cache serves tagging and indexing alike
            tagger = TopicTagger(self.taxonomy, writer.analyzer("body"))
            for event, pairs in work:
                for session, record in pairs:
                    writer.add(session_document(event, session, record, tagger))
                    if bar:
                        bar.update(1)
            return [], word_readings(tagger.analyzer[0], tagger.words)
        finally:
            if bar:
                bar.close()

    def _bar(self, total, unit):
        if not self.progress or total < 2:
            return None
        from tqdm import tqdm

        return tqdm(total=total, desc="indexing", unit=unit, leave=False)

    def _progress(self, files):
        if not self.progress or len(files) < 2:
            return files
        from tqdm import tqdm

        return tqdm(files, desc="reading", unit="file", leave=False)


def build_index(index_dir, paths, taxonomy, taxonomy_hash="", rebuild=False, **options):
    """Index ``paths`` into ``index_dir``; a convenience for the CLI and tests."""
    if not paths:
        raise KbError("nothing to index: give note files or folders")
    return Builder(IndexStore(index_dir), taxonomy, taxonomy_hash, **options).run(paths, rebuild)
