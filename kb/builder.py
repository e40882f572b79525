"""Building kb's query (:mod:`kb.engine.query`) from a parsed query, for one index.

A plain word is split into its units (see :mod:`kb.units`), each planned once
and kept: its query as a whole word, and what else it may mean
(:mod:`kb.alternatives`, :mod:`kb.written`), the longer words it is part of
(:mod:`kb.fragments`). Those functions take the builder, which holds what they
read (the index's vocabulary, synonyms, glosses, dictionary) and keeps what
they find.
"""

from collections.abc import Iterator

from kb.engine import query as Q

from kb.alternatives import alternatives
from kb.analysis import QueryAnalyzer, normalize
from kb.cache import Memo
from kb.fragments import apart, completions, inside_words, torn
from kb.glosses import GlossTable
from kb.latin import acronyms
from kb.plan import FIELDS_BY_PREFIX, TEXT_FIELDS, Plan, match
from kb.query import Clause
from kb.synonyms import MAX_WORDS, Synonyms
from kb.units import Unit, units
from kb.written import latin_spans, name_alternatives

PLANNED = 8192  # words' queries, units, sounds and long forms a builder keeps
ANALYSED = 2048  # texts' analyses a builder keeps (about 1.2 MB)


class QueryBuilder:
    """Builds queries (:mod:`kb.engine.query`) from parsed queries, for one index.

    ``resolve_event`` and ``resolve_topic`` map what a user wrote after
    event: or topic: to an id, or None when nothing has that name.
    """

    def __init__(self, resolve_event, resolve_topic, synonyms=None, vocabulary=None,
                 dictionary=None) -> None:
        # Index mode of LemmaFilter gives both surface and lemma at one position.
        self.analyzer = QueryAnalyzer()
        self.resolve_event = resolve_event
        self.resolve_topic = resolve_topic
        self.synonyms = synonyms or Synonyms()
        # a callable returning the index's Vocabulary: built only when a query needs it
        self.vocabulary = vocabulary
        self._glosses: GlossTable | None = None  # made when a query first needs it
        self.dictionary = dictionary  # kb.dictionary.Dictionary: English -> Japanese words
        # What a word becomes depends on this index only: a search plans each word
        # up to three times, and readers ask for the same words in other queries
        self._planned = Memo(PLANNED)
        self._analysed = Memo(ANALYSED)

    def analyze(self, text) -> list[tuple[int, list[str]]]:
        """Positions of a text as [(position, [surface, ..., lemma])]."""
        # planning a word analyses it, its parts and its other spellings several
        # times over (its compounds, glosses, written variants, the terms marked):
        # the filters' work on each token was a fifth of planning a new word
        found = self._analysed.get("analysis", text, lambda: tuple(
            (position, tuple(words)) for position, words in self._analyze(text)))
        return [(position, list(words)) for position, words in found]

    def _analyze(self, text) -> list[tuple[int, list[str]]]:
        groups: dict[int, list[str]] = {}
        for t in self.analyzer(text, positions=True, mode="index"):
            groups.setdefault(t.pos, []).append(t.text)
        return sorted(groups.items())

    def kept(self, kind, key, compute):
        """What a word (``key``) becomes as ``kind``: ``compute()``, once while it is used."""
        return self._planned.get(kind, key, compute)

    def glosses(self) -> GlossTable:
        """The glosses of loanwords as data/synonyms.yaml corrects them."""
        if self._glosses is None:
            self._glosses = GlossTable.of(self.synonyms.glosses, self.analyzer[0])
        return self._glosses

    def abbreviations(self, text) -> list[str]:
        """Long forms of an abbreviation or abbreviations of a long form: listed, or defined in the notes."""
        return list(self._planned.get("abbreviations", text,
                                      lambda: tuple(self._abbreviations(text))))

    def _abbreviations(self, text) -> list[str]:
        found = list(self.synonyms.expand(text))
        if self.vocabulary is not None and len(text) > 1:
            vocabulary = self.vocabulary()
            for form in vocabulary.abbreviations.get(normalize(text).strip(), ()):
                if form not in found:
                    found.append(form)
            # a long form typed out finds its acronym where the notes use it undefined:
            # site reliability engineering -> SRE
            for form in acronyms(text.split()):
                if form in vocabulary.latin and form not in map(normalize, found):
                    found.append(form)
        return found

    def named_topic(self, text, others=None) -> str | None:
        """The id of the topic ``text`` names, or None: a word names a topic when it, or
        what it stands for (``others``, when already looked up), is one of the topic's
        names (モノのインターネット is IoT)."""
        if others is None:
            others = (*self.synonyms.lookup(text), *self.abbreviations(text))
        return next(filter(None, map(self.synonyms.topic, (text, *others))), None)

    def means_more(self, text) -> bool:
        """Whether a whole term has synonyms, abbreviations or names a topic."""
        return self._planned.get("means more", text, lambda: self._means_more(text))

    def _means_more(self, text) -> bool:
        return bool(self.synonyms.knows(text) or self._abbreviations(text))

    def units(self, text) -> list[Unit]:
        """The units of a term: see :mod:`kb.units`."""
        return list(self._planned.get(
            "units", text, lambda: tuple(units(self.analyzer[0].morphemes(text), text))))

    def synonym_spans(self, groups) -> Iterator[tuple[int, int]]:
        """(start, length) of runs of plain words that together have synonyms, longest first."""
        i = 0
        while i < len(groups):
            for span in range(min(MAX_WORDS, len(groups) - i), 1, -1):
                run = groups[i:i + span]
                # (not kept: words in a row are new with every query, and would push
                # out what the words alone need)
                if all(len(g) == 1 and g[0].field is None and not g[0].negated
                       and not g[0].phrase for g in run) \
                        and self._means_more(" ".join(g[0].text for g in run)):
                    yield i, span
                    i += span
                    break
            else:
                i += 1

    def build(self, parsed, fragments=True) -> Q.Query | None:
        """A query for ``parsed`` (None when it has no clauses).

        With ``fragments`` false, katakana terms match whole words only.
        """
        positive, negative = self.parts(parsed, fragments)
        if not positive and not negative:
            return None
        base: Q.Query = Q.And(positive) if positive else Q.Every()
        if len(positive) == 1:
            base = positive[0]
        return Q.AndNot(base, Q.Or(negative)) if negative else base

    def parts(self, parsed, fragments=True) -> tuple[list[Q.Query], list[Q.Query]]:
        """The queries that must all match, and those that must not: ``build`` joins them."""
        plan = self.plan(parsed, fragments)
        return [*plan.required, *plan.filters], list(plan.negative)

    def plan(self, parsed, fragments=True, loose=False) -> Plan:
        """The :class:`Plan` of a parsed query.

        A plain term is split into its units (see :mod:`kb.units`). Quoted
        phrases, OR groups and words that together have synonyms stay whole.
        With ``loose``, a compound also matches its words anywhere in a
        session, ranked below the compound itself (機械学習モデル: 機械学習
        and モデル apart); a quoted phrase never does.
        """
        required, labels, optional, filters, negative = [], [], [], [], []
        spans = dict(self.synonym_spans(parsed.groups))
        spans.update(latin_spans(parsed.groups, spans))
        i = 0
        while i < len(parsed.groups):
            group = parsed.groups[i]
            span = spans.get(i, 1)
            if span > 1:  # several words that together have synonyms: Raspberry Pi
                words = [g[0] for g in parsed.groups[i:i + span]]
                whole = Clause(" ".join(c.text for c in words))
                if loose:  # relaxed: each word counts on its own (Tanimoto without Shin)
                    # what the words together stand for counts for each, its score shared
                    others = alternatives(self, whole)
                    shared = [Q.Or(others, boost=1 / len(words))] if others else []
                    required += [Q.Or([self.clause(c, fragments), *shared]) for c in words]
                    labels += [c.text for c in words]
                else:
                    together = Q.And([self.clause(c, fragments) for c in words])
                    required.append(Q.Or([together, *alternatives(self, whole)]))
                    labels.append(whole.text)
                i += span
                continue
            i += 1
            clause = group[0]
            if clause.negated:
                queries = [self.clause(c, fragments) for c in group]
                negative.append(queries[0] if len(queries) == 1 else Q.Or(queries))
            elif len(group) > 1:
                required.append(Q.Or([self.clause(c, fragments) for c in group]))
                labels.append(" OR ".join(c.text for c in group))
            elif clause.field in ("event", "topic"):
                filters.append(self.clause(clause, fragments))
            elif clause.phrase:
                required.append(self.clause(clause, fragments))
                labels.append(f'"{clause.text}"')
            elif self.means_more(clause.text):  # a name with synonyms: モノのインターネット
                required.append(self.clause(clause, fragments))
                labels.append(clause.text)
            else:
                for unit in self.units(clause.text):
                    query = self.clause(Clause(unit.text, field=clause.field), fragments)
                    if loose and unit.phrase:
                        query = Q.Or([query, apart(self, unit.text, clause.field)])
                    if unit.soft:
                        optional.append(query)
                    else:
                        required.append(query)
                        labels.append(unit.text)
        return Plan(tuple(required), tuple(labels), tuple(optional), tuple(filters),
                    tuple(negative))

    def clause(self, clause, fragments=True):
        """The query of one clause, planned once for this index."""
        return self._planned.get("clause", (clause, fragments),
                                 lambda: self._new_clause(clause, fragments))

    def _new_clause(self, clause, fragments):
        if clause.field == "event":
            event_id = self.resolve_event(clause.text)
            return Q.Term("event_id", event_id) if event_id else Q.NOTHING
        if clause.field == "topic":
            topic_id = self.resolve_topic(clause.text)
            return Q.Term("topics", topic_id) if topic_id else Q.NOTHING
        # a search that finds little asks for the word again with its fragments:
        # all but those is planned once for both
        words, others = self._planned.get("whole", clause, lambda: self._whole_words(clause))
        subqueries = [*words]
        if fragments and clause.field in (None, "title"):
            fields = FIELDS_BY_PREFIX.get(clause.field, TEXT_FIELDS)
            subqueries += inside_words(self, clause.text, fields)
            subqueries += completions(self, clause.text)
        subqueries += others
        return Q.Or(subqueries) if subqueries else Q.NOTHING

    def _whole_words(self, clause) -> tuple[tuple[Q.Query, ...], tuple[Q.Query, ...]]:
        """The queries of a clause's word as a whole word, and of what else it may mean."""
        fields = FIELDS_BY_PREFIX.get(clause.field, TEXT_FIELDS)
        positions = [] if torn(self, clause.text) else self.analyze(clause.text)
        words = [match(name, positions, boost) for name, boost in fields] \
            if positions else []
        whole = normalize(clause.text).strip()
        if positions and self.vocabulary is not None and whole in self.vocabulary().words \
                and all(whole not in found for _, found in positions):
            # MeCab reads a word typed alone in pieces (スク レイ ピング) that it read
            # whole in the notes' sentence (スクレイピングした): the index's word as written
            words += [Q.Term(name, whole, boost=boost) for name, boost in fields]
        return tuple(words), (*alternatives(self, clause), *name_alternatives(self, clause))
