"""The search service: one place that answers searches, for the CLI and the web.

A search goes through a few steps, each a function below: the query is
parsed (:mod:`kb.query`) and built (:mod:`kb.builder`), each of its parts
matched over the engine's posting arrays and remembered for the index
generation, the parts combined (:mod:`kb.ranking`), the facets counted
(:mod:`kb.facets`), one page picked and its snippets cut (:mod:`kb.snippets`).
What only changes with the index is computed once per
:class:`~kb.generation.Generation`.
"""

from __future__ import annotations

import contextlib
import threading
import time
import itertools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from kb import browse
from kb.analysis import normalize
from kb.bits import bitmask, in_mask
from kb.builder import QueryBuilder
from kb.dictionary import Dictionary
from kb.engine import IndexStore, Reader
from kb.engine import query as Q
from kb.errors import KbError, QueryError
from kb.facets import FACETS, LISTED, FacetValue
from kb.generation import Generation
from kb.plan import Plan
from kb.query import ParsedQuery, is_part, parse_query
from kb.ranking import Matches, combine, common, restrict, top_scored, union_counted
from kb.records import SessionRecord
from kb.requests import SearchRequest
from kb.results import Hit, SearchResults
from kb.snippets import Prepared, Snippet, Sought, prepared_snippet, sought
from kb.spelling import FEW_RESULTS, EnglishWords, did_you_mean
from kb.synonyms import Synonyms
from kb.taxonomy import Taxonomy
from kb.terms import query_terms
from kb.vocabulary import Vocabulary

FRAGMENT_FALLBACK = 10  # matches below which looser ways of matching are tried: a page
COMMON_SHARE = 0.5  # a required word found in more of the sessions than this rules nothing out
RANK_STEP = 1e6  # relaxed matches: one more word matched outranks any score
CACHE_SIZE = 256  # answers and related sessions kept per generation, and as many parts,
# the parts at most this many bytes: 256 parts of common words at 100,000 sessions held
# about 95 MB in each process; at 10,000 the same searches kept 2.3 MB. At 100,000, 32 MB
# took the server to 766-811 MB under load against its 800; 24 MB, 716-720 MB, and new
# queries stayed at 144-153 a second (167-172 with 32 MB)
CACHE_BYTES = 24 * 2**20
NO_NOTES = "no notes are indexed yet: index a folder of notes with 'kb index FOLDER'"
SHOWING = "no session matches {!r}: showing the sessions for {!r}"


def _weight(matches: Matches) -> int:
    """Bytes a part's matches hold: its documents' numbers and their scores."""
    docs, scores = matches
    return docs.nbytes + scores.nbytes


@dataclass
class View:
    """What the service holds open on one index generation; used under the service's lock."""

    reader: Reader
    generation: Generation
    builder: QueryBuilder
    pointer: dict
    checked: float
    # what the phrases and compounds of the search under way matched (see Reader.matches)
    scratch: dict | None = None

    def vocabulary(self) -> Vocabulary:
        """The words of the generation (built on first use)."""
        return self.generation.vocabulary()

    def matches(self, query: Q.Query) -> Matches:
        """What a part of a query matches, remembered for the generation."""
        return self.generation.parts.get("part", query,
                                         lambda: self.reader.matches(query, self.scratch),
                                         _weight)

    @contextlib.contextmanager
    def searching(self) -> Iterator[None]:
        """One search: its parts share what their subqueries matched, then it is let go."""
        if self.scratch is not None:  # a search within a search (a correction's)
            yield
            return
        self.scratch = {}
        try:
            yield
        finally:
            self.scratch = None


class SearchService:
    """Answers searches over one index folder; safe to share between threads."""

    def __init__(self, index_dir: Path | str, taxonomy: Taxonomy, check_interval: float = 1.0,
                 synonyms: Synonyms | None = None, cache_size: int = CACHE_SIZE,
                 check: str = "changed") -> None:
        self.store = IndexStore(index_dir)
        self.check = check  # how each newly opened generation is checked: see Index.reader
        self.taxonomy = taxonomy
        if synonyms is None:
            from kb.config import load_synonyms

            synonyms = load_synonyms(taxonomy=taxonomy)
        self.synonyms = synonyms
        self.cache_size = cache_size
        self.check_interval = check_interval
        self.english = EnglishWords()  # real words are never "corrected"
        self.dictionary = Dictionary()  # JMdict, for English words the notes rarely write
        # One reader per process, used under a lock: the engine's readers are not
        # made for concurrent use, each thread's own reader cost tens of MB of
        # transient memory to open, and Python runs one thread at a time anyway.
        self._view: View | None = None
        self._lock = threading.RLock()

    # -- the index ------------------------------------------------------------

    def _open(self) -> View:
        """The view of the current index generation, reopened when the index changed.

        Callers hold ``self._lock``.
        """
        view = self._view
        now = time.monotonic()
        if view is not None and now - view.checked < self.check_interval:
            return view
        pointer = self.store.pointer()
        if view is not None and pointer == view.pointer and view.reader.up_to_date():
            view.checked = now
            return view
        if view is not None:
            view.reader.close()
            self._view = None
        reader = self.store.open(empty_if_missing=True).reader(check=self.check)
        generation = Generation.build(reader, self.taxonomy, self.cache_size, CACHE_BYTES)
        view = View(reader, generation, None, pointer, now)  # type: ignore[arg-type]
        view.builder = QueryBuilder(
            generation.resolve_event,
            lambda value: generation.resolve_topic(value, self.taxonomy),
            synonyms=self.synonyms, vocabulary=view.vocabulary, dictionary=self.dictionary)
        self._view = view
        return view

    @contextlib.contextmanager
    def viewing(self) -> Iterator[View]:
        """Hold the current view for a computation: ``with service.viewing() as view``."""
        with self._lock:
            yield self._open()

    def _recent(self) -> View | None:
        """The view, if it was checked within the check interval (read without the lock)."""
        view = self._view
        if view is not None and time.monotonic() - view.checked < self.check_interval:
            return view
        return None

    def generation(self) -> Generation:
        """The current generation: immutable, safe to read without the lock."""
        recent = self._recent()
        if recent is not None:  # a page asks twice: neither waits for another thread's search
            return recent.generation
        with self.viewing() as view:
            return view.generation

    def close(self) -> None:
        """Close the reader."""
        with self._lock:
            if self._view is not None:
                self._view.reader.close()
                self._view = None

    def warm(self) -> None:
        """Compute now what the first searches of this index generation would wait for.

        An index that cannot be opened now is not an error here: each request
        says what is wrong with it, and a rebuild mends it while the site runs.
        """
        self.english.load()
        try:
            with self.viewing() as view:
                generation = view.generation
                generation.vocabulary()
                generation.events  # noqa: B018 (read now, to be shared)
                generation.once("titles", lambda: generation.kept("titles"))
            # the first search reads dictionaries (English lemmas) and postings
            self.search(SearchRequest(q="tests notes"))
        except KbError:
            pass

    # -- searching ------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        """Answer a :class:`SearchRequest` with :class:`SearchResults`."""
        request.validate()
        recent = self._recent()
        if recent is not None:
            # a question answered lately need not wait for a search another thread runs
            found = recent.generation.memo.peek("answer", request)
            if found is not None:
                return found
        with self.viewing() as view:
            return view.generation.memo.get("answer", request,
                                            lambda: answer(view, request, self.english))

    def explain(self, request: SearchRequest, results: SearchResults | None = None) -> dict:
        """Why the hits of ``request`` (or of ``results``) matched: see :func:`kb.explain.explain`."""
        from kb.explain import explain

        results = results if results is not None else self.search(request)
        with self.viewing() as view:
            return explain(view, parse_query(request.q), results)

    # -- browsing: see kb.browse ---------------------------------------------------

    def session(self, session_id: str) -> SessionRecord | None:
        """A session's record, or None."""
        with self.viewing() as view:
            return browse.session(view.reader, session_id)

    def events(self, limit: int | None = None) -> list[dict]:
        """The newest ``limit`` events (all by default), with their session counts."""
        return browse.events(self.generation(), limit)

    def event(self, event_id: str) -> dict | None:
        """An event with its sessions in order, or None."""
        with self.viewing() as view:
            return browse.event(view.reader, view.generation, event_id)

    def topics(self) -> list[FacetValue]:
        """Every topic with at least one session, most sessions first."""
        return browse.topics(self.generation())

    def renamed_session(self, session_id: str) -> str | None:
        """The id a session has now that was once ``session_id``, or None."""
        return browse.renamed_session(self.generation(), session_id)

    def renamed_event(self, event_id: str) -> str | None:
        """The id an event has now that was once ``event_id``, or None."""
        return browse.renamed_event(self.generation(), event_id)

    def related(self, session_id: str, limit: int = 5) -> list[SessionRecord]:
        """Sessions of other events most like a session."""
        with self.viewing() as view:
            return view.generation.memo.get(
                "related", (session_id, limit),
                lambda: browse.related(view.reader, view.generation, session_id, limit))

    def suggest(self, text: str, limit: int = 8) -> list[Any]:
        """As-you-type suggestions for what a reader has typed so far."""
        from kb.suggest import suggest

        with self.viewing() as view:
            return suggest(view.reader, view.generation, text, limit)

    def sessions_per_year(self, topic_id: str | None = None) -> list[tuple[str, int]]:
        """(year, count) of all sessions or one topic's, empty years in between filled."""
        return browse.sessions_per_year(self.generation(), topic_id)

    def resolve_topic(self, value: str) -> str | None:
        """A topic id from an id, label or alias, or None."""
        return self.generation().resolve_topic(value, self.taxonomy)


def open_service(index_dir: Path | str, taxonomy: Taxonomy, **options: Any) -> SearchService:
    """A service over ``index_dir``; an index of another version of kb is an error to act on."""
    service = SearchService(index_dir, taxonomy, **options)
    if service.store.pointer() and not service.store.exists():
        raise KbError(f"the index in {index_dir} was built by another version of kb: "
                      "run 'kb index' to rebuild it")
    return service


# -- the steps of a search -------------------------------------------------------

def answer(view: View, request: SearchRequest, english: Any = ()) -> SearchResults:
    """Search: match, count facets, pick the page, cut snippets, maybe suggest."""
    with view.searching():
        return _answer(view, request, english)


def _answer(view: View, request: SearchRequest, english: Any = ()) -> SearchResults:
    generation = view.generation
    selected = resolve_selections(view, request)
    parsed = parse_query(request.q)
    fragments = fragments_of(parsed, view.builder)
    scored = match(view, parsed, fragments)
    matched = generation.all if scored is None else bitmask(scored.docs) & generation.all
    within = generation.selections(selected)
    facets, unlisted = count_facets(generation, matched, within, selected)
    final = matched
    for mask in within.values():
        final &= mask
    total = final.bit_count()
    start = (request.page - 1) * request.per_page
    order = generation.changed_order if request.sort == "new" else None
    found = page(generation, scored, final, request, start, order) if start < total else []
    suggestion = None
    if scored is not None and (total < FEW_RESULTS or scored.complete < FEW_RESULTS):
        suggestion = suggest_correction(view, request.q, parsed, within, english)
        if suggestion and not total:
            # nothing for what was typed: show what the correction finds, and say so
            shown = answer(view, replace(request, q=suggestion), english)
            return replace(shown, query=request.q, suggestion=suggestion, corrected=True,
                           messages=(*parsed.messages, SHOWING.format(request.q, suggestion)))
    # what each hit's snippet looks for, worked out once
    looked = sought(query_terms(view.builder, parsed) if scored is not None else (), fragments)
    hits = tuple(make_hit(*generation.shown(view.reader, docnum), score, looked)
                 for docnum, score in found)
    messages = parsed.messages if generation.all else (*parsed.messages, NO_NOTES)
    return SearchResults(
        query=request.q, total=total, page=request.page, per_page=request.per_page,
        sort=request.sort, hits=hits, facets=facets, unlisted=unlisted, suggestion=suggestion,
        messages=messages,
    )


def resolve_selections(view: View, request: SearchRequest) -> dict[str, tuple[str, ...]]:
    """Facet selections as ids; QueryError for an event or topic nothing is called."""
    generation = view.generation
    return {
        "event": _resolve_all(request.events, generation.resolve_event, "event"),
        "topic": _resolve_all(request.topics, view.builder.resolve_topic, "topic"),
        "year": tuple(dict.fromkeys(str(y) for y in request.years)),
    }


def _resolve_all(values: tuple[str, ...], resolve: Any, name: str) -> tuple[str, ...]:
    ids = []
    for value in values:
        resolved = resolve(value)
        if resolved is None:
            raise QueryError(f"unknown {name} {value!r}", name)
        ids.append(resolved)
    return tuple(dict.fromkeys(ids))


def fragments_of(parsed: ParsedQuery, builder: QueryBuilder) -> tuple[str, ...]:
    """The words of a query that may be looked for inside longer words (see kb.query.is_part)."""
    found = []
    for group in parsed.groups:
        for clause in group:
            if clause.negated or clause.field not in (None, "title"):
                continue
            texts = [clause.text] if clause.phrase else \
                [u.text for u in builder.units(clause.text) if not u.soft]
            found += [normalize(t) for t in texts if is_part(t)]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Matched:
    """What a query matched: documents ascending with their scores, and how.

    ``rank`` orders the documents when the query was relaxed (more of its
    words first, then the score); ``counts`` says how many of the plan's
    required parts each document holds.
    """

    docs: Any
    scores: Any
    plan: Plan
    rank: Any = None
    counts: Any = None
    tier: str = "all"  # all: every word; relaxed: most, then any

    @property
    def complete(self) -> int:
        """How many documents hold every required word (all of them unless relaxed)."""
        return len(self.docs) if self.counts is None else int(
            (self.counts == len(self.plan.required)).sum())

    @property
    def positive(self) -> tuple:
        return (*self.plan.required, *self.plan.filters)

    @property
    def negative(self) -> tuple:
        return self.plan.negative


def match(view: View, parsed: ParsedQuery, fragments: tuple[str, ...]) -> Matched | None:
    """What a query matches, or None for an empty query.

    Looser ways of matching are tried only while the stricter ones find less
    than a page: every word as written; then words found inside longer words
    too (アノテ in アノテーション); then sessions holding most of
    the words, then any, more words ranking higher. Each looser way finds
    what the stricter found, ranked first; compounds then match their words
    apart too, anywhere in a session, but a word is never taken for part of
    another: 量子コンピュータ does not find 量子化.
    """
    attempts = [(False, False)]
    if fragments:
        attempts.append((True, False))
    attempts.append((bool(fragments), True))
    found = None
    for with_fragments, relaxed in attempts:
        plan = view.builder.plan(parsed, with_fragments, loose=relaxed)
        if plan.empty:
            return None
        found = match_plan(view, plan, relaxed, "relaxed" if relaxed else "all")
        if (bitmask(found.docs) & view.generation.all).bit_count() >= FRAGMENT_FALLBACK:
            break
    return found


def match_plan(view: View, plan: Plan, relaxed: bool, tier: str) -> Matched:
    """Each part of a plan matched on its own (and remembered), then combined.

    Parts are remembered for the generation: the same words come back with
    other words, other facets ticked, another page.
    """
    plan = without_common_words(view, plan)
    required = [view.matches(q) for q in plan.required]
    optional = [view.matches(q) for q in plan.optional]
    filters = [view.matches(q) for q in plan.filters]
    negative = [view.matches(q) for q in plan.negative]
    rank = counts = None
    if relaxed and len(required) > 1:
        docs, scores, counts = union_counted(required)
        docs, scores, keep = restrict(docs, scores, filters, negative)
        counts = counts[keep]
        rank = counts * RANK_STEP + scores
    else:
        docs, scores = combine(required + filters, negative, view.generation.date_order)
        tier = "all"
    for extra_docs, extra_scores in optional:  # soft words raise the score where they occur
        mine, theirs = common(docs, extra_docs)
        scores = scores.copy()
        scores[mine] += extra_scores[theirs]
        if rank is not None:
            rank = rank.copy()
            rank[mine] += extra_scores[theirs]
    return Matched(docs, scores, plan, rank, counts, tier)


def without_common_words(view: View, plan: Plan) -> Plan:
    """The plan with required words found in most sessions made optional.

    A word in most sessions carries little (Python in notes of PyCons): it
    raises a score where it occurs, and rules nothing out, as long as some
    other word of the query is required.
    """
    if len(plan.required) < 2:
        return plan
    most = COMMON_SHARE * view.generation.all.bit_count()
    common = [len(view.matches(q)[0]) > most for q in plan.required]
    if all(common) or not any(common):
        return plan
    keep = [not c for c in common]
    return replace(
        plan, required=tuple(itertools.compress(plan.required, keep)),
        labels=tuple(itertools.compress(plan.labels, keep)),
        optional=plan.optional + tuple(itertools.compress(plan.required, common)))


def count_facets(generation: Generation, matched: int, within: dict[str, int],
                 selected: dict[str, tuple[str, ...]]
                 ) -> tuple[dict[str, list[FacetValue]], dict[str, int]]:
    """Each facet counted as if its own selection were off (OR within, AND across).

    Returns the listed values of each facet (see :data:`kb.facets.LISTED`)
    and how many more values with sessions each facet has.
    """
    facets, unlisted = {}, {}
    for name in FACETS:
        others = matched
        for other in FACETS:
            if other != name:
                others &= within[other]
        facets[name], unlisted[name] = generation.facets[name].counted(
            others, selected[name], LISTED)
    return facets, unlisted


def page(generation: Generation, scored: Matched | None, final: int, request: SearchRequest,
         start: int, order: np.ndarray | None = None) -> list[tuple[int, float | None]]:
    """(docnum, score) pairs of the requested page: best first, or in ``order``, else newest first."""
    if scored is None or request.sort != "relevance":
        ordered = generation.date_order if order is None else order
        # the sessions of ``final`` in order, picked as arrays: a page deep in
        # 100,000 sessions would otherwise be a walk over all of them in Python
        within = ordered[in_mask(ordered, final)]
        return [(n, None) for n in within[start:start + request.per_page].tolist()]
    best = top_scored(scored.docs, scored.scores, final, start + request.per_page,
                      generation.tiebreak, scored.rank)
    return list(best[start:])


def make_hit(record: SessionRecord, text: Prepared, score: float | None, looked: Sought) -> Hit:
    """A hit with its snippet of what the search looks for (``text``: the record's)."""
    cut = prepared_snippet(text, looked) if record.text else Snippet()
    return Hit(record, score, cut)


def suggest_correction(view: View, q: str, parsed: ParsedQuery, within: dict[str, int],
                       english: Any = ()) -> str | None:
    """A corrected query finding more sessions within the same selections, or None."""
    scope = view.generation.all
    for mask in within.values():
        scope &= mask

    def count(text: str) -> int:
        query = view.builder.build(parse_query(text))
        if query is None:
            return 0
        docs = view.reader.matching(query, view.scratch)
        return (bitmask(docs) & scope).bit_count()

    return did_you_mean(q, parsed, view.vocabulary(), view.builder.analyzer[0], count, english)
