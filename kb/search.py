"""The search service: one place that answers searches, for the CLI and the web.

Requests are validated here, queries built by :mod:`kb.query`, matched and
scored by :mod:`kb.arrays`, facets counted by :mod:`kb.facets`. What only
changes with the index (facet bitmasks and columns, the date order, event
records, posting arrays) is computed once per index generation.
"""

import contextlib
import re
import threading
import time
from array import array

import numpy as np
from dataclasses import dataclass, field
from types import SimpleNamespace

from kb.analysis import JapaneseAnalyzer, normalize
from kb.errors import KbError, QueryError
from kb.facets import FACETS, FacetColumn, bitmask, count_facet, docnums, selection_mask
from kb.query import QueryBuilder, is_fragment, parse_query
from kb.arrays import PostingArrays, combine, query_key, top_scored
from kb.ranking import in_order
from kb.schema import KIND_EVENT, KIND_SESSION
from kb.snippets import snippet
from kb.spelling import FEW_RESULTS, did_you_mean
from kb.store import IndexStore
from kb.synonyms import load_synonyms
from kb.vocabulary import PerGeneration, build_vocabulary

SORTS = ("relevance", "date")
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
FRAGMENT_FALLBACK = 10  # whole-word matches below which fragments inside words are sought
_YEAR = re.compile(r"[0-9]{4}")  # ASCII digits: \d also takes ２０２０, which no session has


@dataclass(frozen=True)
class SearchRequest:
    """What a reader asks: a query, facet selections, an order and a page."""

    q: str = ""
    events: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    def validate(self):
        """Raise QueryError naming the first bad parameter."""
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}", "sort")
        if not isinstance(self.page, int) or not 1 <= self.page <= MAX_PAGE:
            raise QueryError(f"page must be a whole number from 1 to {MAX_PAGE}", "page")
        if not isinstance(self.per_page, int) or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"limit must be a whole number from 1 to {MAX_PER_PAGE}", "limit")
        for year in self.years:
            if not _YEAR.fullmatch(str(year)):
                raise QueryError(f"year must be four digits, not {year!r}", "year")


@dataclass(frozen=True)
class SearchResults:
    """One page of results with facets; ``to_dict`` is the JSON contract."""

    query: str
    total: int
    page: int
    per_page: int
    sort: str
    results: tuple = ()
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    messages: tuple[str, ...] = ()

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    def to_dict(self):
        return {
            "query": self.query, "total": self.total, "page": self.page,
            "results": list(self.results),
            "facets": {name: [v.to_dict() for v in values] for name, values in self.facets.items()},
            "suggestion": self.suggestion,
            "sort": self.sort, "limit": self.per_page, "messages": list(self.messages),
        }


def result_dict(record, score, snippet_html):
    """A session as it appears in search results."""
    return {
        "id": record["id"],
        "event": {"id": record["event_id"], "name": record["event_name"],
                  "date": record["event_date"]},
        "title": record["title"], "date": record["date"],
        "topics": [{"id": i, "label": label} for i, label in record["topics"]],
        "speakers": record["speakers"], "url": record["url"],
        "score": None if score is None else round(score, 4), "snippet": snippet_html,
    }


class Snapshot:
    """What one generation of the index lets us compute once."""

    def __init__(self, searcher, taxonomy):
        reader = searcher.reader()
        self.events = {doc["record"]["id"]: doc["record"]
                       for doc in searcher.documents(kind=KIND_EVENT)}
        sessions = list(searcher.document_numbers(kind=KIND_SESSION))
        self.all = bitmask(sessions)
        # postings of the terms searched, as arrays: see kb.arrays
        self.arrays = PostingArrays(searcher)
        self.masks = {name: {} for name in FACETS}
        event_docs = {}
        for name, fieldname in (("event", "event_id"), ("topic", "topics"), ("year", "year")):
            for term in reader.lexicon(fieldname):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                docs = self.arrays.docs(searcher, fieldname, term)
                mask = bitmask(docs) & self.all
                if mask:
                    self.masks[name][value] = mask
                    if name == "event":
                        event_docs[value] = docs
        # a session has one event, and there are many: events count by column
        self.columns = {"event": FacetColumn(event_docs, reader.doc_count_all())}
        self.labels = {
            "event": {i: e["name"] for i, e in self.events.items()},
            "topic": {t.id: t.label for t in taxonomy.topics},
            "year": {y: y for y in self.masks["year"]},
        }
        for record in self.events.values():
            for topic_id, label in record.get("topics", {}).items():
                self.labels["topic"].setdefault(topic_id, label)
        dates = reader.column_reader("date")
        positions = reader.column_reader("position")
        order = sorted(sessions, key=lambda n: (dates[n] or "", -positions[n]), reverse=True)
        self.date_order = order
        # newer sessions win ties in relevance: rank by date, newest highest
        self.date_rank = array("l", bytes(8 * (reader.doc_count_all() + 1)))
        for rank, n in enumerate(reversed(order)):
            self.date_rank[n] = rank
        self.tiebreak = np.asarray(self.date_rank, dtype=np.int64)
        self._event_names = {normalize(e["name"]): i for i, e in self.events.items()}
        self.answers = {}  # SearchRequest -> SearchResults, kept by SearchService
        self.parts = {}  # query_key(query) -> (docnums, scores), kept by SearchService
        self.memo = {}  # what other modules compute once per generation, by their own keys

    def resolve_event(self, value):
        """An event id from an id or an exact name, or None."""
        value = str(value).strip()
        if value in self.events:
            return value
        return self._event_names.get(normalize(value))


class SearchService:
    """Answers searches over one index folder; safe to share between threads."""

    def __init__(self, index_dir, taxonomy, check_interval=1.0, synonyms=None, cache_size=256):
        self.store = IndexStore(index_dir)
        # answers to the latest requests, per index generation: a search page's
        # popular queries and the JSON/feed twins of one page ask the same thing
        self.cache_size = cache_size
        self.taxonomy = taxonomy
        self.synonyms = synonyms if synonyms is not None else load_synonyms(taxonomy=taxonomy)
        # words and readings of the index, for did-you-mean and kana queries
        self._vocabularies = PerGeneration(build_vocabulary)
        self.check_interval = check_interval
        # One searcher per process, used under a lock: whoosh's readers are not
        # made for concurrent use, each thread's own searcher cost tens of MB of
        # transient memory to open, and Python runs one thread at a time anyway.
        self._local = SimpleNamespace()
        self._lock = threading.RLock()
        self._snapshots = {}

    # -- the index ---------------------------------------------------------------

    def _reader(self):
        """The searcher, analyzer and query builder, reopened when the index changed.

        Callers hold ``self._lock``.
        """
        local = self._local
        now = time.monotonic()
        if getattr(local, "searcher", None) is not None and now - local.checked < self.check_interval:
            return local
        pointer = self.store.pointer()
        current = getattr(local, "searcher", None)
        if current is not None and pointer == local.pointer and current.up_to_date():
            local.checked = now
            return local
        if current is not None:
            current.close()
            local.searcher = None
        ix = self.store.open()
        local.searcher = ix.searcher()
        local.pointer = pointer
        local.checked = now
        if not hasattr(local, "analyzer"):
            local.analyzer = JapaneseAnalyzer()
        key = (pointer["name"], local.searcher.reader().generation())
        snap = self._snapshots.get(key)
        if snap is None:
            snap = Snapshot(local.searcher, self.taxonomy)
            self._snapshots = {key: snap}
        local.snapshot = snap
        searcher = local.searcher
        local.builder = QueryBuilder(
            snap.resolve_event, self._topic_resolver(snap), synonyms=self.synonyms,
            vocabulary=lambda: self._vocabularies.get(snap, searcher))
        return local

    def _topic_resolver(self, snap):
        def resolve(value):
            topic = self.taxonomy.find(value)
            if topic:
                return topic.id
            value = normalize(str(value)).strip()
            for topic_id, label in snap.labels["topic"].items():
                if value in (topic_id, normalize(label)):
                    return topic_id
            return None
        return resolve

    # -- searching -------------------------------------------------------------

    def search(self, request):
        """Answer a :class:`SearchRequest` with :class:`SearchResults`."""
        request.validate()
        remembered = self._remembered_now(request)
        if remembered is not None:
            return remembered
        with self._lock:
            return self._remembered(self._reader(), request)

    def _remembered_now(self, request):
        """A remembered answer of a generation checked lately, without waiting for the lock.

        A search another thread is running holds the lock for tens of
        milliseconds; a question answered before need not wait for it.
        """
        local = self._local
        snap = getattr(local, "snapshot", None)
        if snap is None or time.monotonic() - local.checked >= self.check_interval:
            return None
        try:
            return snap.answers.get(request)
        except TypeError:  # unhashable: lists instead of tuples
            return None

    def _remembered(self, local, request):
        try:
            hash(request)
        except TypeError:  # lists instead of tuples: answer, but do not remember
            return self._search(local, request)
        cache = local.snapshot.answers
        found = cache.pop(request, None)
        if found is None:
            found = self._search(local, request)
        if self.cache_size:
            while len(cache) >= self.cache_size:
                cache.pop(next(iter(cache)), None)
            cache[request] = found  # most recently used last
        return found

    def _search(self, local, request):
        snap, searcher = local.snapshot, local.searcher
        selected = {
            "event": self._resolve_all(request.events, snap.resolve_event, "event"),
            "topic": self._resolve_all(request.topics, local.builder.resolve_topic, "topic"),
            "year": tuple(dict.fromkeys(str(y) for y in request.years)),
        }
        parsed = parse_query(request.q)
        fragments = self._fragments(parsed)
        # Matching katakana fragments inside words is the dearest part of a
        # search (bigram phrases over every session that has the word), and
        # whole words rank above them: look inside words only when whole
        # words find less than a page.
        scored = self._scored(local, parsed, fragments=False)
        if scored is None:
            matched = snap.all
        else:
            matched = bitmask(scored[0]) & snap.all
            if fragments and matched.bit_count() < FRAGMENT_FALLBACK:
                scored = self._scored(local, parsed)
                matched = bitmask(scored[0]) & snap.all
        within = {name: selection_mask(snap.masks[name], selected[name], snap.all)
                  for name in FACETS}
        facets = {}
        for name in FACETS:
            others = matched
            for other in FACETS:
                if other != name:
                    others &= within[other]
            facets[name] = count_facet(snap.masks[name], snap.labels[name], others,
                                       selected[name], "value" if name == "year" else "count",
                                       snap.columns.get(name))
        final = matched
        for name in FACETS:
            final &= within[name]
        total = final.bit_count()
        start = (request.page - 1) * request.per_page
        hits = []
        if start < total:
            hits = self._page(snap, scored, final, request, start)
        terms = local.builder.terms(parsed) if scored is not None else set()
        suggestion = None
        if scored is not None and total < FEW_RESULTS:
            suggestion = self._suggest(local, request.q, parsed, within)
        results = []
        for docnum, score in hits:
            record = searcher.stored_fields(docnum)["record"]
            text = record["text"]
            html = snippet(text, record.get("words", b""), terms, fragments) if text else ""
            results.append(result_dict(record, score, html))
        return SearchResults(
            query=request.q, total=total, page=request.page, per_page=request.per_page,
            sort=request.sort, results=tuple(results), facets=facets,
            suggestion=suggestion, messages=parsed.messages,
        )

    def _scored(self, local, parsed, fragments=True):
        """(docnums, scores) of what ``parsed`` matches, or None for an empty query.

        Each part of a query (a word across its fields, a phrase, an OR) is
        matched on its own and remembered for the generation: the same words
        come back with other words, other facets ticked, another page.
        """
        positive, negative = local.builder.parts(parsed, fragments)
        if not positive and not negative:
            return None
        remembered = local.snapshot.parts
        arrays = local.snapshot.arrays

        def matches(query):
            try:
                key = query_key(query)
                found = remembered.pop(key, None)
            except TypeError:  # a query that cannot be hashed: match, do not remember
                return arrays.matches(local.searcher, query)
            if found is None:
                found = arrays.matches(local.searcher, query)
            if self.cache_size:
                while len(remembered) >= self.cache_size:
                    remembered.pop(next(iter(remembered)), None)
                remembered[key] = found  # most recently used last
            return found

        if len(positive) == 1 and not negative:
            return matches(positive[0])
        return combine([matches(q) for q in positive], [matches(q) for q in negative],
                       local.snapshot.date_order)

    def _suggest(self, local, q, parsed, within):
        """A corrected query finding more sessions within the same selections, or None."""
        scope = local.snapshot.all
        for mask in within.values():
            scope &= mask

        def count(text):
            query = local.builder.build(parse_query(text))
            if query is None:
                return 0
            docs, _ = local.snapshot.arrays.matches(local.searcher, query)
            return (bitmask(docs) & scope).bit_count()

        vocabulary = self._vocabularies.get(local.snapshot, local.searcher)
        return did_you_mean(q, parsed, vocabulary, local.analyzer[0], count)

    def explain(self, request, results=None):
        """Why the hits of ``request`` (or of ``results``) matched: see :func:`kb.explain.explain`."""
        from kb.explain import explain

        results = results if results is not None else self.search(request)
        with self._lock:
            local = self._reader()
            ids = [hit["id"] for hit in results.results]
            return explain(local.builder, local.searcher, parse_query(request.q), ids)

    @staticmethod
    def _resolve_all(values, resolve, name):
        ids = []
        for value in values:
            resolved = resolve(value)
            if resolved is None:
                raise QueryError(f"unknown {name} {value!r}", name)
            ids.append(resolved)
        return tuple(dict.fromkeys(ids))

    @staticmethod
    def _fragments(parsed):
        found = []
        for group in parsed.groups:
            for clause in group:
                if not clause.negated and clause.field in (None, "title"):
                    if is_fragment(clause.text):
                        found.append(normalize(clause.text))
        return tuple(found)

    @staticmethod
    def _page(snap, scored, final, request, start):
        """(docnum, score) pairs of the requested page."""
        if scored is None or request.sort == "date":
            return [(n, None) for n in in_order(snap.date_order, final, start, request.per_page)]
        best = top_scored(*scored, final, start + request.per_page, snap.tiebreak)
        return best[start:]

    # -- browsing ---------------------------------------------------------------

    def session(self, session_id):
        """The full record of a session, or None."""
        with self._lock:
            doc = self._reader().searcher.document(id=session_id)
        if not doc or doc.get("kind") != KIND_SESSION:
            return None
        return doc["record"]

    def events(self):
        """Every event record, newest first, with its session count."""
        with self._lock:
            snap = self._reader().snapshot
        events = []
        for event_id, record in snap.events.items():
            count = snap.masks["event"].get(event_id, 0).bit_count()
            events.append({**record, "session_count": count})
        events.sort(key=lambda e: (e.get("date") or "", e["id"]), reverse=True)
        return events

    def event(self, event_id):
        """An event record with its sessions in order, or None."""
        with self._lock:
            local = self._reader()
            record = local.snapshot.events.get(event_id)
            if record is None:
                return None
            sessions = [local.searcher.stored_fields(n)["record"]
                        for n in docnums(local.snapshot.masks["event"].get(event_id, 0))]
        sessions.sort(key=lambda s: s["position"])
        return {**record, "sessions": sessions, "session_count": len(sessions)}

    def topics(self):
        """Every topic with at least one session, with counts, most sessions first."""
        with self._lock:
            snap = self._reader().snapshot
        return [v.to_dict() for v in count_facet(snap.masks["topic"], snap.labels["topic"],
                                                 snap.all, (), "count")]

    def resolve_topic(self, value):
        """A topic id from an id, label or alias, or None."""
        with self._lock:
            return self._reader().builder.resolve_topic(value)

    def close(self):
        """Close the searcher."""
        with self._lock:
            searcher = getattr(self._local, "searcher", None)
            if searcher is not None:
                searcher.close()
                self._local.searcher = None

    def warm(self):
        """Compute now what the first searches of this index generation would wait for."""
        with self._lock:
            local = self._reader()
            self._vocabularies.get(local.snapshot, local.searcher)

    def current(self):
        """The current snapshot: what one index generation lets us compute once.

        It changes with each index generation, so it can key caches.
        """
        with self._lock:
            return self._reader().snapshot

    @contextlib.contextmanager
    def reading(self):
        """Hold the searcher for a computation of one's own: ``with s.reading() as (searcher, snap)``."""
        with self._lock:
            local = self._reader()
            yield local.searcher, local.snapshot


def open_service(index_dir, taxonomy, **options):
    """A service over ``index_dir``, failing early with a clear message when there is no index."""
    service = SearchService(index_dir, taxonomy, **options)
    if not service.store.exists():
        raise KbError(f"no index in {index_dir}: run 'kb index' first")
    return service
