"""Build and update a kb index from note files, incrementally.

Each note file is one event document plus one document per session. The event
document remembers the file's signature and each session's content hash, so an
unchanged file costs one ``stat`` and a changed file rewrites only the sessions
that changed. Files that disappeared from a folder being indexed lose their
documents; a file that cannot be read or parsed keeps its last good state.
"""

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kb.analysis import JapaneseAnalyzer
from kb.errors import KbError, NoteError
from kb.schema import KIND_EVENT, KIND_SESSION, SCHEMA_VERSION
from kb.store import IndexStore
from kb.tagging import TopicTagger
from kb.text import markdown_to_text

from indexer.sources import find_note_files, parse_source


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


def content_hash(*parts):
    """A short stable hash of JSON-serialisable parts."""
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def session_documents(event, tagger):
    """The whoosh documents of an event's sessions, each with its content hash."""
    intro = markdown_to_text(event.intro)
    docs = []
    for s in event.sessions:
        text = markdown_to_text(s.body)
        topics = tagger.topics(event.tags, s.tags, s.title, text)
        record = {
            "id": s.id, "slug": s.slug, "event_id": event.id, "event_name": event.name,
            "event_date": event.date, "event_url": event.url, "title": s.title,
            "date": s.date, "speakers": list(s.speakers), "url": s.url,
            "topics": [[t.id, t.label] for t in topics], "body": s.body, "text": text,
            "images": [[i.url, i.caption] for i in s.images], "position": s.position,
            "source": event.source, "line": s.line,
        }
        doc = {
            "kind": KIND_SESSION, "id": s.id, "event_id": event.id, "source": event.source,
            "date": s.date or "", "year": (s.date or "")[:4], "position": s.position,
            "topics": ",".join(t.id for t in topics),
            "title": s.title, "title_frag": s.title, "body": text, "body_frag": text,
            "captions": "\n".join(i.caption for i in s.images if i.caption),
            "speakers": "\n".join(s.speakers), "event_name": event.name, "intro": intro,
            "record": record,
        }
        # topics are part of the record: a new taxonomy rewrites only sessions it retags
        record["hash"] = content_hash(SCHEMA_VERSION, record, intro)
        docs.append(doc)
    return docs


def event_document(event, signature, digest, docs, taxonomy_hash):
    """The document that stands for a note file and its event."""
    topics = {}
    for doc in docs:
        topics.update(doc["record"]["topics"])
    record = {
        "id": event.id, "name": event.name, "date": event.date, "end_date": event.end_date,
        "url": event.url, "tags": list(event.tags), "intro": event.intro,
        "author": event.author, "source": event.source, "signature": signature,
        "digest": digest, "taxonomy": taxonomy_hash, "topics": topics,
        "sessions": {d["id"]: d["record"]["hash"] for d in docs},
    }
    return {"kind": KIND_EVENT, "id": event.id, "event_id": event.id, "source": event.source,
            "date": event.date or "", "year": (event.date or "")[:4],
            "event_name": event.name, "record": record}


def indexed_files(searcher):
    """Event records of the index, by source path."""
    return {rec["source"]: rec for rec in
            (doc["record"] for doc in searcher.documents(kind=KIND_EVENT))}


def _covers(roots, source):
    """Whether ``source`` lies in one of the folders or is one of the files given."""
    return any(source == root or source.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


class Builder:
    """Bring an index up to date with the note files under some paths."""

    def __init__(self, store, taxonomy, taxonomy_hash="", progress=None, wait=None):
        self.store = store
        self.tagger = TopicTagger(taxonomy, JapaneseAnalyzer())
        self.taxonomy_hash = taxonomy_hash
        self.progress = progress if progress is not None else sys.stderr.isatty()
        self.wait = wait

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
            if not rebuild and self.store.pointer() and not self.store.exists():
                # a new schema: rebuild, keeping notes indexed from other folders
                files += [Path(p) for p in self.store.previous_sources() if Path(p).is_file()]
            files = list(dict.fromkeys(files))
            report.files = len(files)
            rebuild = rebuild or not self.store.exists()
            if rebuild:
                ix, name = self.store.create()
                known = {}
            else:
                ix, name = self.store.open(), None
                with ix.searcher() as searcher:
                    known = indexed_files(searcher)
            report.rebuilt = rebuild
            self._update(ix, files, roots, known, report)
            if name:
                self.store.publish(name)
            with ix.searcher() as searcher:
                # doc_frequency would count deleted documents too
                report.sessions = sum(1 for _ in searcher.document_numbers(kind=KIND_SESSION))
                report.events = sum(1 for _ in searcher.document_numbers(kind=KIND_EVENT))
        return report

    def _plan(self, files, known, report):
        """Parse what changed; yield (source, event, signature, digest)."""
        owners = {rec["id"]: src for src, rec in known.items()}
        for path in self._progress(files):
            source = str(path)
            try:
                stat = path.stat()
                old = known.get(source)
                signature = file_signature(stat)
                if old and old["signature"] == signature \
                        and old.get("taxonomy") == self.taxonomy_hash:
                    report.unchanged += 1
                    continue
                data = path.read_bytes()
            except OSError as exc:
                report.errors.append(str(NoteError(source, 0, f"cannot read: {exc.strerror}")))
                continue
            digest = hashlib.sha256(data).hexdigest()
            try:
                event = parse_source(data, source)
            except NoteError as exc:
                report.errors.append(str(exc))
                continue
            if event is None:  # a draft or a file of no kb format
                yield source, None, signature, digest
                continue
            owner = owners.get(event.id)
            if owner and owner != source:
                report.errors.append(str(NoteError(
                    source, 1, f"event id {event.id!r} is already used by {owner}: "
                               "give this note its own 'id:'")))
                continue
            owners[event.id] = source
            yield source, event, signature, digest

    def _update(self, ix, files, roots, known, report):
        writer = None
        seen = set()
        try:
            for source, event, signature, digest in self._plan(files, known, report):
                seen.add(source)
                writer = writer or ix.writer(limitmb=256)
                old = known.get(source)
                self._write_file(writer, source, event, signature, digest, old, report)
            seen.update(str(f) for f in files)
            for source, rec in known.items():
                if source not in seen and _covers(roots, source):
                    writer = writer or ix.writer(limitmb=256)
                    writer.delete_by_term("source", source)
                    report.removed += len(rec["sessions"])
            if writer is not None:
                writer.commit()
                writer = None
        finally:
            if writer is not None:
                writer.cancel()

    def _write_file(self, writer, source, event, signature, digest, old, report):
        old_sessions = old["sessions"] if old else {}
        if event is None:
            if old:
                writer.delete_by_term("source", source)
                report.removed += len(old_sessions)
            return
        docs = session_documents(event, self.tagger)
        hashes = {d["id"]: d["record"]["hash"] for d in docs}
        for session_id, old_hash in old_sessions.items():
            if hashes.get(session_id) != old_hash:
                writer.delete_by_term("id", session_id)
                if session_id not in hashes:
                    report.removed += 1
        if old and old["id"] != event.id:
            writer.delete_by_term("id", old["id"])
        for doc in docs:
            old_hash = old_sessions.get(doc["id"])
            if old_hash == doc["record"]["hash"]:
                continue
            writer.add_document(**doc)
            if old_hash is None:
                report.added += 1
            else:
                report.updated += 1
        writer.delete_by_term("id", event.id)
        writer.add_document(**event_document(event, signature, digest, docs,
                                            self.taxonomy_hash))

    def _progress(self, files):
        if not self.progress or len(files) < 2:
            return files
        from tqdm import tqdm

        return tqdm(files, desc="indexing", unit="file", leave=False)


def build_index(index_dir, paths, taxonomy, taxonomy_hash="", rebuild=False, **options):
    """Index ``paths`` into ``index_dir``; a convenience for the CLI and tests."""
    if not paths:
        raise KbError("nothing to index: give note files or folders")
    return Builder(IndexStore(index_dir), taxonomy, taxonomy_hash, **options).run(paths, rebuild)
