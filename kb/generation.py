"""One generation of the index, as the search service sees it: computed once, then read.

Whatever only changes when the index does lives here: the event records,
the facets with their masks, the sessions in date order, the recency
tie-breaker, and the one bounded cache of what searches of this generation
computed. A :class:`Generation` never changes after it is built, so threads
and pages read it without a lock.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from concurrent.futures import Executor, Future
from pathlib import Path
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Mapping

import numpy as np

from kb.analysis import normalize
from kb.bits import bitmask
from kb.cache import Memo
from kb.engine.snapshot import Pickled, Snapshot
from kb.facets import FACETS, EventFacet, Facet, TopicFacet, YearFacet, masks_of
from kb.records import KIND_EVENT, KIND_SESSION, EventRecord, History, SessionRecord
from kb.snippets import Prepared

KEPT_ARRAYS = {"sessions", "event_number", "date_order", "tiebreak", "changed_order"}
KEPT_OBJECTS = {"labels", "events", "vocabulary", "titles", "history"}
SHELVED = frozenset({"events"})  # read one record at a time (see kb.engine.snapshot.Shelf)
# Session records kept per generation (about 16 MB, and 5 MB of their texts folded for
# snippets), the most recently shown: a popular session comes back in many searches,
# and reading one (its whole stored document unpickled, its notes and all) was a tenth
# of a new search, folding its text for a snippet another tenth.
RECORDS_KEPT = 2048

if TYPE_CHECKING:
    from kb.engine import Index, Reader
    from kb.suggest import Titles
    from kb.vocabulary import Vocabulary
    from kb.taxonomy import Taxonomy


@dataclass(frozen=True, eq=False)
class Generation:
    """What one generation of the index lets kb compute once."""

    key: tuple[str, int]
    all: int  # mask of every session
    facets: Mapping[str, Facet]
    date_order: np.ndarray  # sessions newest first
    tiebreak: np.ndarray  # per document: higher for newer sessions (relevance ties)
    changed_order: np.ndarray  # sessions whose notes changed last first, then newest first
    event_names: Mapping[str, str]  # folded event name -> event id
    event_order: tuple[str, ...]  # event ids, newest first
    memo: Memo  # answers and related sessions
    parts: Memo  # what each part of a query matched: arrays, bounded by their bytes too
    kept: Callable[[str], Any] = field(default=lambda name: None, repr=False)  # see snapshot()
    _lazy: dict = field(default_factory=dict, repr=False, compare=False)
    _records: OrderedDict = field(default_factory=OrderedDict, repr=False, compare=False)
    # reentrant: a value computed once may need another (former ids need the events)
    _lock: Any = field(default_factory=threading.RLock, repr=False, compare=False)

    @classmethod
    def build(cls, reader: "Reader", taxonomy: "Taxonomy", cache_size: int,
              cache_bytes: int | None = None) -> "Generation":
        """Read what one generation of the index holds, through ``reader``.

        What only the index decides is read from the generation's snapshot,
        written when the notes were indexed (computed and written now if it
        was not: an index of an older kb, or a folder that could not be written).
        """
        arrays, kept = snapshot(reader)
        labels = kept("labels")
        every = bitmask(np.asarray(arrays["sessions"]))
        topic_labels = {t.id: t.label for t in taxonomy.topics}
        for topic_id, label in labels["topics"].items():
            topic_labels.setdefault(topic_id, label)
        facets = {
            "event": EventFacet(labels["event_values"], arrays["event_number"], labels["events"]),
            "topic": TopicFacet({v: m for v, (m, _) in masks_of(reader, "topics", every).items()},
                                topic_labels),
            "year": YearFacet({v: m for v, (m, _) in masks_of(reader, "year", every).items()}, {}),
        }
        return cls(
            key=reader.generation, all=every, facets=facets,
            date_order=arrays["date_order"], tiebreak=arrays["tiebreak"],
            changed_order=arrays["changed_order"],
            event_names={normalize(name): i for i, name in labels["events"].items()},
            event_order=tuple(labels["event_order"]),
            memo=Memo(cache_size), parts=Memo(cache_size, cache_bytes), kept=kept,
        )

    @property
    def events(self) -> Mapping[str, EventRecord]:
        """Every event's record by id (each read from the snapshot when asked for)."""
        return self.once("events", lambda: self.kept("events"))

    @property
    def history(self) -> History:
        """Former ids and the last change, from every event's history."""
        return self.once("history", lambda: self.kept("history"))

    def vocabulary(self) -> "Vocabulary":
        """The words of the generation (read on first use)."""
        return self.once("vocabulary", lambda: self.kept("vocabulary"))

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Generation) and self.key == other.key

    # -- lookups ---------------------------------------------------------------

    def resolve_event(self, value: str) -> str | None:
        """An event id from an id or an exact name (any case or width), or None."""
        value = str(value).strip()
        if value in self.events:
            return value
        return self.event_names.get(normalize(value))

    def resolve_topic(self, value: str, taxonomy: "Taxonomy") -> str | None:
        """A topic id from an id, label or alias (any case or width), or None."""
        topic = taxonomy.find(value)
        if topic:
            return topic.id
        folded = normalize(str(value)).strip()
        for topic_id, label in self.facets["topic"].labels.items():
            if folded in (topic_id, normalize(label)):
                return topic_id
        return None

    def topic_label(self, topic_id: str) -> str:
        """How a topic is shown."""
        return self.facets["topic"].label(topic_id)

    def session_count(self, event_id: str) -> int:
        """How many sessions an event has."""
        return self.event_facet.size_of(event_id)

    def event_sessions(self, event_id: str) -> list[int]:
        """The document numbers of an event's sessions."""
        return self.event_facet.docs(event_id).tolist()

    @property
    def event_facet(self) -> EventFacet:
        """The facet of events, which holds each session's event."""
        facet = self.facets["event"]
        assert isinstance(facet, EventFacet)
        return facet

    def selections(self, selected: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
        """Per facet, the sessions within what is selected of it."""
        return {name: self.facets[name].selection(selected.get(name, ()), self.all)
                for name in FACETS}

    def record(self, reader: "Reader", docnum: int) -> SessionRecord:
        """The record of session ``docnum``, read through ``reader`` (kept for a while)."""
        return self.shown(reader, docnum)[0]

    def shown(self, reader: "Reader", docnum: int) -> tuple[SessionRecord, Prepared]:
        """The record of session ``docnum`` and its text as snippets read it, kept together
        for a while (the text is folded when a snippet first needs it)."""
        records = self._records
        with self._lock:
            found = records.get(docnum)
            if found is not None:
                records.move_to_end(docnum)
                return found
        record = SessionRecord.from_stored(reader.stored(docnum)["record"])
        found = (record, Prepared(record.text, record.words))
        with self._lock:
            records[docnum] = found
            if len(records) > RECORDS_KEPT:
                records.popitem(last=False)
        return found

    def once(self, name: str, compute: Callable[[], Any]) -> Any:
        """A value computed once for this generation (threads asking at once wait for one)."""
        found = self._lazy.get(name)
        if found is None:
            with self._lock:
                found = self._lazy.get(name)
                if found is None:
                    found = self._lazy[name] = compute()
        return found


def compute_snapshot(reader: "Reader", apart: Executor | None = None,
                     started: Mapping[str, Future] | None = None,
                     records: list[dict] | None = None) \
        -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """What a generation keeps on disk (see :mod:`kb.engine.snapshot`), computed from the index.

    With ``apart``, processes of its own (a build's workers, idle by then), the
    vocabulary and the titles, two thirds of the work, are computed there
    meanwhile and come back pickled, as the snapshot keeps them; ``started``
    holds them when :func:`start_snapshot` set them going already. ``records``
    are the generation's stored event records when already read.
    """
    from kb import browse

    if started is None and apart is not None:
        started = _start(apart, str(reader.path), reader.name, reader.generation)
    if records is None:
        records = [doc["record"] for doc in reader.documents(KIND_EVENT)]
    events = {record["id"]: served(EventRecord.from_stored(record)) for record in records}
    sessions = reader.docnums(KIND_SESSION)
    size = reader.doc_count
    positions = reader.column("position")
    order = _date_order(reader, sessions, positions)
    event_ids = reader.column("event_id") if size else []
    values = sorted(events)
    numbers = {value: i for i, value in enumerate(values)}
    event_number = np.full(size, -1, dtype=np.int32)
    for n in sessions:
        event_number[n] = numbers.get(event_ids[n], -1)
    # newer sessions win ties in relevance: rank by date, newest highest
    tiebreak = np.zeros(size + 1, dtype=np.int64)
    tiebreak[np.asarray(order[::-1], dtype=np.int64)] = np.arange(len(order), dtype=np.int64)
    topics: dict[str, str] = {}
    for record in events.values():
        for topic_id, label in record.topics.items():
            topics.setdefault(topic_id, label)
    date_order = np.asarray(order, dtype=np.int64)
    names = {i: e.name for i, e in events.items()}
    sessions_of = EventFacet(values, event_number, names).docs
    changed_order, history = browse.history(events, positions, lambda e: sessions_of(e).tolist(),
                                            date_order, tiebreak)
    arrays: dict[str, np.ndarray] = {
        "sessions": np.asarray(sessions, dtype=np.int64), "event_number": event_number,
        "date_order": date_order, "tiebreak": tiebreak, "changed_order": changed_order}
    newest = sorted(events, key=lambda i: (events[i].date or "", i), reverse=True)
    labels: dict[str, Any] = {"event_values": values, "events": names, "topics": topics,
                              "event_order": newest}
    vocabulary: Any
    titles: Any
    if started is None:
        vocabulary, titles = _vocabulary(reader), _titles(reader, order)
    else:
        vocabulary, titles = (Pickled(started[name].result()) for name in ("vocabulary", "titles"))
    objects: dict[str, Any] = {"labels": labels, "events": events, "vocabulary": vocabulary,
                               "titles": titles, "history": history}
    return arrays, objects


def _date_order(reader: "Reader", sessions: list[int] | None = None,
                positions: Any = None) -> list[int]:
    """The sessions newest first (of one date, the later in its event first)."""
    sessions = reader.docnums(KIND_SESSION) if sessions is None else sessions
    dates = reader.column("date")
    positions = reader.column("position") if positions is None else positions
    return sorted(sessions, key=lambda n: (dates[n] or "", -positions[n]), reverse=True)


def _vocabulary(reader: "Reader") -> "Vocabulary":
    from kb.vocabulary import build_vocabulary

    vocabulary = build_vocabulary(reader)
    vocabulary.prepare()
    return vocabulary


def _titles(reader: "Reader", order: list[int]) -> "Titles":
    from kb.suggest import Titles

    return Titles.of(reader, order)


def _start(apart: Executor, index_dir: str, name: str, generation: tuple[str, int]) \
        -> dict[str, Future]:
    """The vocabulary and the titles of a generation, set going in the processes of ``apart``."""
    return {"vocabulary": apart.submit(_pickled_vocabulary, index_dir, name, generation),
            "titles": apart.submit(_pickled_titles, index_dir, name, generation)}


def start_snapshot(index: "Index", apart: Executor | None) -> dict[str, Future] | None:
    """Set the costliest parts of the snapshot of ``index``'s current generation going in
    the processes of ``apart`` (None without them), to be handed to :func:`store_snapshot`.

    A build starts them as soon as it commits, before it checks and publishes
    what it wrote, so that its own checks run meanwhile: nothing is kept
    until the generation is published, and what a failed build started is
    never read.
    """
    if apart is None:
        return None
    with index.reader(check="none") as reader:
        generation = reader.generation
    return _start(apart, str(index.path), index.name, generation)


def _opened(index_dir: str, name: str, generation: tuple[str, int]) -> "Reader":
    """A reader of the generation ``generation`` of the index ``name`` in ``index_dir``."""
    from kb.engine import IndexStore

    reader = IndexStore(index_dir).open_named(name).reader(check="none")
    if reader.generation != generation:  # never a part of another generation's snapshot
        reader.close()
        raise RuntimeError(f"{index_dir}: generation {reader.generation} is not {generation}")
    return reader


def _pickled_vocabulary(index_dir: str, name: str, generation: tuple[str, int]) -> bytes:
    with _opened(index_dir, name, generation) as reader:
        return pickle.dumps(_vocabulary(reader), protocol=pickle.HIGHEST_PROTOCOL)


def _pickled_titles(index_dir: str, name: str, generation: tuple[str, int]) -> bytes:
    with _opened(index_dir, name, generation) as reader:
        return pickle.dumps(_titles(reader, _date_order(reader)), protocol=pickle.HIGHEST_PROTOCOL)


def served(record: EventRecord) -> EventRecord:
    """An event's record as a server uses it: without what only the next build compares.

    Katakana counts, abbreviations, the file's signature and digest are half
    of a record, read from the index by whatever needs them; every server
    process would hold them for 10,000 events at 100,000 sessions.
    """
    return replace(record, katakana={}, abbreviations={}, signature=(), digest="", taxonomy="")


def snapshot(reader: "Reader") -> tuple[dict[str, np.ndarray], Callable[[str], Any]]:
    """The arrays of the generation ``reader`` reads, and a function giving its other values.

    Read from the generation's snapshot on disk when there is one (arrays
    mapped, values read when first asked for), else computed, and written
    for the next process.
    """
    kept = Snapshot(reader.path, reader.generation)
    arrays = kept.arrays()
    if KEPT_ARRAYS <= set(arrays) and KEPT_OBJECTS <= kept.names():
        return arrays, kept.value
    arrays, objects = compute_snapshot(reader)
    if reader.doc_count:  # an empty index has no folder to write into
        kept.write(arrays, objects, SHELVED)
    return arrays, objects.__getitem__


def store_snapshot(index_dir: Path | str, apart: Executor | None = None,
                   started: Mapping[str, Future] | None = None,
                   records: list[dict] | None = None) -> None:
    """Compute and keep the snapshot of the current generation of an index (after a build),
    parts of it in the processes of ``apart`` if given, or as ``started`` by
    :func:`start_snapshot`; ``records``: its event records, when already read."""
    from kb.engine import IndexStore

    store = IndexStore(index_dir)
    if store.exists():
        with store.open().reader(check="none") as reader:
            kept = Snapshot(reader.path, reader.generation)
            if not kept.exists() and reader.doc_count:
                kept.write(*compute_snapshot(reader, apart, started, records), SHELVED)
