"""The search syntax: parsing a user's query, and building kb's query from it.

Parsing is pure and never fails: any string is a query. Syntax: words (all
must match), "quoted phrases", -exclusion, OR between two terms, and the
prefixes title:, event:, topic: and speaker:. A Japanese word is matched as a
phrase of its morphemes, so 混合精度演算 does not match 混合 ... 精度 ... 演算.
"""

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kb.engine import query as Q

from kb.cache import Memo
from kb.analysis import KATAKANA_RUN, MIN_FRAGMENT, QueryAnalyzer, is_stop, normalize
from kb.glosses import GlossTable, gloss_term, split_gloss
from kb.latin import acronyms, camel_parts, joined
from kb.pairs import japanese_forms, pair_phrases
from kb.people import name_key, name_reading
from kb.synonyms import MAX_WORDS, Synonyms
from kb.transliteration import VOICELESS, other_kana, singular, voiceless_key
from kb.units import Unit, units
from kb.vocabulary import HAS_KANJI, is_kana, segment_reading

MAX_QUERY_CHARS = 500
PLANNED = 8192  # words' queries, units, sounds and long forms a builder keeps
ANALYSED = 2048  # texts' analyses a builder keeps (about 1.2 MB)
MAX_CLAUSES = 16
PREFIXES = {"title": "title", "event": "event", "topic": "topic", "topics": "topic",
            "speaker": "speaker", "speakers": "speaker"}

# Where a plain word is looked for, and how much a match there weighs.
TEXT_FIELDS = (("title", 4.0), ("speakers", 2.0), ("captions", 1.2), ("body", 1.0),
               ("event_name", 0.8), ("intro", 0.3))
PART_FIELDS = ("title", "body")  # where a word inside a longer word is looked for
FIELDS_BY_PREFIX = {"title": (("title", 1.0),), "speaker": (("speakers", 1.0),)}
# What was not written weighs less than what was: a synonym, a word found by
# its reading, a session merely filed under a topic the query names.
SYNONYM_WEIGHT = 0.4
READING_WEIGHT = 0.3
SOUND_WEIGHT = 0.3  # the same word in another script found by its sound, a name by its romaji
PART_WEIGHT = 0.2  # a word found inside a longer word: what matched is not what was meant
COMPLETION_WEIGHT = 0.5  # a known name a word cut short begins: ドメイン駆 for ドメイン駆動設計
APART_WEIGHT = 0.5  # a compound's words found apart, not next to each other
SHORTER_WEIGHT = 0.5  # (apart) a compound of three words or more found less one at an end
HYPHENATED = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")
KANJI_PART = re.compile(r"[\u3400-\u9fff々ァ-ヺー]+")
GLOSS_WEIGHT = 0.5  # a loanword's English source: the same word in another script
JOINED_WEIGHT = 0.9  # Fast API written as FastAPI
NAME_WEIGHT = 0.8  # a speaker found by the romanisation of a name typed in kana or Latin
VOICELESS_WEIGHT = 0.8  # (of that) a name found with its voicing aside: すえだ for すえた
STEM_WEIGHT = 0.4  # another English word of the same stem: interpretable for interpretability
KANA_WEIGHT = 0.9  # the same word in the other kana script: ベキ for べき
TRANSLATION_WEIGHT = 0.3  # a Japanese word for an English one the notes rarely write
PAIR_WEIGHT = 0.5  # two English words found as the Japanese compound they translate to
RARE_ENGLISH = 3  # sessions writing an English word below which it is also translated
MAX_TRANSLATIONS = 4  # Japanese words per English word, the most used in the index first
CUT_CHOICES = 6  # words a compound's last kanji, typed alone, may begin
MAX_GLOSSED = 4  # words of a compound whose English spellings are tried one by one
# a session filed under the topic a query names, as much as a word or two in its notes:
# the tagger read it as about that topic, where a passing mention may not be
TOPIC_SCORE = 3.0
# a session of an event tagged with that topic, where its own text did not earn it: an
# IoT meetup's talk on a Kinect haunted house is about IoT, below any that says so
EVENT_TOPIC_SCORE = 1.0
READING_CHOICES = 3  # words per reading, and
MAX_READINGS = 6  # word sequences per kana query, most frequent first

_TOKEN = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))')


def is_fragment(text) -> bool:
    """Whether a word may be looked for inside longer words: see :func:`is_part`."""
    return is_part(text)


def is_part(text) -> bool:
    """Whether a word is long enough to be looked for inside longer words.

    A katakana run of three or more (アノテ in アノテーション), two or more
    characters with a kanji (空室 in 空室率), four or more Latin letters
    (boot in springboot). Only whole units qualify: in データ品質 the part
    データ alone would match every session that mentions data.
    """
    text = normalize(text).strip()
    if KATAKANA_RUN.fullmatch(text):
        return len(text) >= MIN_FRAGMENT
    if HAS_KANJI.search(text):
        return len(text) >= 2 and KANJI_PART.fullmatch(text) is not None
    return len(text) >= 4 and text.isascii() and text.isalnum()


@dataclass(frozen=True)
class Clause:
    """One term of a query: a word or a quoted phrase, maybe with a field prefix."""

    text: str
    phrase: bool = False
    field: str | None = None  # title, event, topic, speaker
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """Clauses grouped for AND; the clauses of one group are joined by OR."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    messages: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.groups


def parse_query(text) -> ParsedQuery:
    """Parse a query string into a :class:`ParsedQuery`; never raises."""
    messages = []
    text = (text or "").replace("\x00", " ")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        messages.append(f"the query was cut to its first {MAX_QUERY_CHARS} characters")
    groups: list[tuple[Clause, ...]] = []
    join_next = False
    for m in _TOKEN.finditer(text):
        negated, prefix, quoted, word = m.groups()
        if word == "OR" and not negated and not prefix:
            join_next = bool(groups)
            continue
        field_name = PREFIXES.get(prefix.lower()) if prefix else None
        if prefix and not field_name:  # de:code is a word, not a field
            quoted, word = None, m.group(0)[len(negated):]
        if quoted is not None:
            clause = Clause(quoted.strip(), phrase=True, field=field_name, negated=bool(negated))
        else:
            clause = Clause(word, field=field_name, negated=bool(negated))
        if not clause.text:
            continue
        if join_next and not clause.negated and not any(c.negated for c in groups[-1]):
            groups[-1] = groups[-1] + (clause,)
        else:
            groups.append((clause,))
        join_next = False
    # terms joined by OR count one by one: each is searched and spell-checked
    if sum(map(len, groups)) > MAX_CLAUSES:
        budget, kept = MAX_CLAUSES, []
        for group in groups:
            if budget > 0:
                kept.append(group[:budget])
            budget -= len(group)
        groups = kept
        messages.append(f"only the first {MAX_CLAUSES} terms of the query were used")
    return ParsedQuery(tuple(groups), tuple(messages))


@dataclass(frozen=True)
class Plan:
    """The parts a query is matched by, each matched on its own and then combined.

    ``required``: what the reader asked for, one part per content word or
    compound (``labels`` says which, as typed); ``optional``: words that raise
    a score but rule nothing out; ``filters``: event:/topic: clauses, always
    required; ``negative``: what must not match.
    """

    required: tuple = ()
    labels: tuple[str, ...] = ()
    optional: tuple = ()
    filters: tuple = ()
    negative: tuple = ()

    @property
    def empty(self) -> bool:
        return not (self.required or self.optional or self.filters or self.negative)


def _query_analyzer():
    # Index mode of LemmaFilter gives both surface and lemma at one position.
    return QueryAnalyzer()


class QueryBuilder:
    """Builds queries (:mod:`kb.engine.query`) from parsed queries, for one index.

    ``resolve_event`` and ``resolve_topic`` map what a user wrote after
    event: or topic: to an id, or None when nothing has that name.
    """

    def __init__(self, resolve_event, resolve_topic, synonyms=None, vocabulary=None,
                 dictionary=None) -> None:
        self.analyzer = _query_analyzer()
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

    def terms(self, parsed) -> set[str]:
        """Every index term the positive clauses of a query may match (synonyms included)."""
        # gathered word by word, each word's kept: a query is rarely asked twice, and
        # keeping its terms would push out what its words' next queries need
        return self._terms(parsed)

    def _terms(self, parsed) -> set[str]:
        found = set()
        for group in parsed.groups:
            for clause in group:
                if not clause.negated:
                    # a word's terms are the same in every query holding it
                    found.update(self._planned.get("terms of", (clause.text, clause.field),
                                                   lambda: self._clause_terms(clause)))
        for start, span in self.synonym_spans(parsed.groups):
            whole = " ".join(g[0].text for g in parsed.groups[start:start + span])
            for text in self.synonyms.lookup(whole):
                for _, alternatives in self.analyze(text):
                    found.update(alternatives)
        found.update(self._joined_terms(parsed))
        return found

    def _clause_terms(self, clause) -> frozenset[str]:
        """The terms of one positive clause: see :meth:`terms`."""
        found = set()
        if clause.field in (None, "title", "speaker"):
            texts = [clause.text, *self.synonyms.lookup(clause.text),
                     *self.abbreviations(clause.text)]
            for unit in self.units(clause.text):
                if unit.text != clause.text:
                    texts += [unit.text, *self.synonyms.lookup(unit.text),
                              *self.abbreviations(unit.text)]
                texts += self.across_scripts(unit.text)
                texts += self.translations(unit.text)
            for text in texts:
                for _, alternatives in self.analyze(text):
                    found.update(alternatives)
            for words in self.reading_words(clause.text):
                found.update(words)
        if clause.field in (None, "title"):
            found.update(self._written_terms(clause))
        return frozenset(found)

    def reading_words(self, text) -> list[tuple[str, ...]]:
        """Word sequences of the index that read as ``text``, when it is written in kana.

        こんごうせいど gives [("混合", "精度")]: the kanji words a reader meant.
        """
        if self.vocabulary is None or len(text) < 2 or not is_kana(text):
            return []
        vocabulary = self.vocabulary()
        found = []
        for pieces in segment_reading(text, vocabulary.readings, vocabulary.longest_reading):
            choices = [vocabulary.words_read(p)[:READING_CHOICES] for p in pieces]
            for words in itertools.product(*choices):
                found.append(words)
                if len(found) >= MAX_READINGS:
                    return found
        return found

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
        spans.update(self.latin_spans(parsed.groups, spans))
        i = 0
        while i < len(parsed.groups):
            group = parsed.groups[i]
            span = spans.get(i, 1)
            if span > 1:  # several words that together have synonyms: Raspberry Pi
                words = [g[0] for g in parsed.groups[i:i + span]]
                whole = Clause(" ".join(c.text for c in words))
                if loose:  # relaxed: each word counts on its own (Tanimoto without Shin)
                    # what the words together stand for counts for each, its score shared
                    others = self._alternatives(whole)
                    shared = [Q.Or(others, boost=1 / len(words))] if others else []
                    required += [Q.Or([self._clause(c, fragments), *shared]) for c in words]
                    labels += [c.text for c in words]
                else:
                    together = Q.And([self._clause(c, fragments) for c in words])
                    required.append(Q.Or([together, *self._alternatives(whole)]))
                    labels.append(whole.text)
                i += span
                continue
            i += 1
            clause = group[0]
            if clause.negated:
                queries = [self._clause(c, fragments) for c in group]
                negative.append(queries[0] if len(queries) == 1 else Q.Or(queries))
            elif len(group) > 1:
                required.append(Q.Or([self._clause(c, fragments) for c in group]))
                labels.append(" OR ".join(c.text for c in group))
            elif clause.field in ("event", "topic"):
                filters.append(self._clause(clause, fragments))
            elif clause.phrase:
                required.append(self._clause(clause, fragments))
                labels.append(f'"{clause.text}"')
            elif self.means_more(clause.text):  # a name with synonyms: モノのインターネット
                required.append(self._clause(clause, fragments))
                labels.append(clause.text)
            else:
                for unit in self.units(clause.text):
                    query = self._clause(Clause(unit.text, field=clause.field), fragments)
                    if loose and unit.phrase:
                        query = Q.Or([query, self._apart(unit.text, clause.field)])
                    if unit.soft:
                        optional.append(query)
                    else:
                        required.append(query)
                        labels.append(unit.text)
        return Plan(tuple(required), tuple(labels), tuple(optional), tuple(filters),
                    tuple(negative))

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

    def _apart(self, text, field=None):
        """A compound's words anywhere in a session, each in any of its fields."""
        fields = FIELDS_BY_PREFIX.get(field, TEXT_FIELDS)
        positions = self.analyze(text)
        words = [Q.Or([self._match(name, [position], boost * APART_WEIGHT)
                       for name, boost in fields])
                 for position in positions]
        if len(words) < 2:
            return words[0] if words else Q.NOTHING
        found: list[Q.Query] = [Q.And(words)]
        if len(positions) > 2:  # 機械学習 of 機械学習モデル: the compound less a word at an end
            found += [self._match(name, part, boost * APART_WEIGHT * SHORTER_WEIGHT)
                      for part in (positions[1:], positions[:-1]) for name, boost in fields
                      if name in PART_FIELDS]
        return Q.Or(found) if len(found) > 1 else found[0]

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

    def _alternatives(self, clause):
        """Queries for what ``clause`` may also mean: synonyms, its topic, kanji read in kana."""
        if clause.negated or clause.field not in (None, "title"):
            return []
        fields = FIELDS_BY_PREFIX.get(clause.field, TEXT_FIELDS)
        found = []
        others = (*self.synonyms.lookup(clause.text), *self.abbreviations(clause.text))
        for text, weight in self.spellings(others, SYNONYM_WEIGHT):
            positions = self.analyze(text)
            if positions:
                found += [self._match(name, positions, boost * weight) for name, boost in fields]
        topic_id = self.named_topic(clause.text, others) if clause.field is None else None
        if topic_id:
            found.append(Q.ConstantScore(Q.Term("topics", topic_id), TOPIC_SCORE))
            found.append(Q.ConstantScore(Q.Term("event_topics", topic_id), EVENT_TOPIC_SCORE))
        for words in self.reading_words(clause.text):
            positions = [(i, [w]) for i, w in enumerate(words)]
            found += [self._match(name, positions, boost * READING_WEIGHT)
                      for name, boost in fields]
        # translations, like other spellings, only where a session says what it is about
        # (titles, bodies): each field is one more query
        for spelt, weight, where in (
                (self.across_scripts(clause.text), SOUND_WEIGHT, dict(fields)),
                (self.translations(clause.text), TRANSLATION_WEIGHT, PART_FIELDS)):
            for word in spelt:
                positions = self.analyze(word)
                if positions:
                    found += [self._match(name, positions, boost * weight)
                              for name, boost in fields if name in where]
        found += self._gloss_alternatives(clause, fields)
        found += self._expanded_compounds(clause.text, fields)
        found += self._joined_alternatives(clause, fields)
        # static analysis: 静的解析, code review: コードレビュー (see kb.pairs)
        for positions in pair_phrases(clause.text, self._japanese_forms):
            found += [self._match(name, positions, boost * PAIR_WEIGHT)
                      for name, boost in fields if name in PART_FIELDS]
        for words, weight in self.written_variants(clause.text):
            positions = [(i, [w]) for i, w in enumerate(words)]
            # looked for where a session says what it is about: each field is a phrase
            # matched over positions, the dearest part of a query
            found += [self._match(name, positions, boost * weight) for name, boost in fields
                      if len(positions) == 1 or name in PART_FIELDS]
        return found

    @staticmethod
    def spellings(texts, weight) -> list[tuple[str, float]]:
        """(text, weight) of ``texts``, and of those of several Latin words written as one
        (Raspberry Pi as RaspberryPi), ranked as such joined words are."""
        found = []
        for text in texts:
            found.append((text, weight))
            one = joined(text.split())
            if one is not None:
                found.append((one, weight * JOINED_WEIGHT))
        return found

    def written_variants(self, text) -> list[tuple[tuple[str, ...], float]]:
        """(words, weight) of other spellings of ``text``, word by word.

        Kana in the other kana script (ベキ等性 -> べき等性: the same word), and,
        for a compound, its loanwords' English glosses (ダークテーマ -> dark
        theme, ウェブアプリケーション -> web アプリケーション), ranked as glosses are.
        """
        words = [(normalize(surface), normalize(lemma)) for _, _, surface, tag, lemma, _ in
                 self.analyzer[0].morphemes(text) if not is_stop(tag, lemma, surface)]
        if not words or len(words) != len(self.analyze(text)):
            return []  # the analyzer split it otherwise (Latin forms): nothing to line up
        found = []
        glosses = [self.glosses().gloss(*split_gloss(lemma)) for _, lemma in words]
        # a loanword (one with a gloss) is not written in the other kana script
        swapped = [other_kana(surface) if not gloss else "" for (surface, _), gloss
                   in zip(words, glosses)]
        if any(swapped):
            found.append((tuple(k or s for k, (s, _) in zip(swapped, words)), KANA_WEIGHT))
        glossed = [i for i, gloss in enumerate(glosses) if gloss]
        if len(words) > 1 and glossed and len(words) <= MAX_GLOSSED:
            # each loanword in English alone (Webアプリケーション), then all of them (dark theme)
            for chosen in (*([i] for i in glossed), glossed if len(glossed) > 1 else []):
                if chosen:
                    found.append((tuple(glosses[i] if i in chosen else surface
                                        for i, (surface, _) in enumerate(words)), GLOSS_WEIGHT))
        return found

    def across_scripts(self, text) -> list[str]:
        """Index words in another script that sound like ``text`` (コルーチン, coroutine)."""
        if self.vocabulary is None:
            return []
        vocabulary = self.vocabulary()
        return list(self._planned.get("across", text, lambda: tuple(
            self._heard(normalize(text).strip(), vocabulary.across_scripts))))

    def _heard(self, text, across) -> Iterator[str]:
        # a loanword whose gloss synonyms.yaml corrects sounds like that word only:
        # キャッシュ sounds like cash, and is cache here
        overrides = self.glosses().overrides
        for word in across(text):
            english, loanword = (text, word) if text.isascii() else (word, text)
            if overrides.get(loanword, english) in (english, singular(english)):
                yield word

    def translations(self, text) -> list[str]:
        """Japanese words of the index for an English word the notes rarely write, in
        English or as a loanword (agriculture -> 農業), from JMdict: see :mod:`kb.dictionary`."""
        return list(self._planned.get("translations", text,
                                      lambda: tuple(self._translations(text))))

    def _translations(self, text) -> list[str]:
        word = " ".join(normalize(text).split())
        if self.dictionary is None or self.vocabulary is None or len(word) < 3 \
                or not word.isascii() or not word.replace(" ", "").isalpha():
            return []
        vocabulary = self.vocabulary()
        english_words = tuple(dict.fromkeys((word, singular(word))))
        # (two words typed apart, warm up, are looked up together whatever their use)
        if vocabulary.latin.get(word, 0) >= RARE_ENGLISH \
                or any(w in vocabulary.glossed for w in english_words) \
                or self.across_scripts(word):
            return []  # written in English, or as a loanword (annotation: アノテーション)
        found = {}
        for english in english_words:
            for form in self.dictionary.japanese(english):
                indexed = self.indexed_form(form)
                if indexed and self.glossed_as(form, english):
                    found.setdefault(form, indexed[0])
        return sorted(found, key=lambda f: -found[f])[:MAX_TRANSLATIONS]

    def indexed_form(self, form) -> tuple[int, list[list[str]]] | None:
        """(how much its rarest word is used, its words by position) of a Japanese form
        whose every word the index holds; None for others, and for Latin letters."""
        if self.vocabulary is None or normalize(form).isascii():
            return None
        words = self.vocabulary().words
        positions = [alternatives for _, alternatives in self.analyze(form)]
        counts = [max(words.get(w, 0) for w in alternatives) for alternatives in positions]
        return (min(counts), positions) if counts and min(counts) else None

    def glossed_as(self, form, english) -> bool:
        """Whether ``form`` may stand for ``english``: a loanword's gloss corrected in
        synonyms.yaml wins (キャッシュ is cache here, not cash)."""
        return self.glosses().overrides.get(normalize(form)) in (None, english)

    def _clause(self, clause, fragments=True):
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
            subqueries += self._parts(clause.text, fields)
            subqueries += self._completions(clause.text)
        subqueries += others
        return Q.Or(subqueries) if subqueries else Q.NOTHING

    def _whole_words(self, clause) -> tuple[tuple[Q.Query, ...], tuple[Q.Query, ...]]:
        """The queries of a clause's word as a whole word, and of what else it may mean."""
        fields = FIELDS_BY_PREFIX.get(clause.field, TEXT_FIELDS)
        positions = [] if self.torn(clause.text) else self.analyze(clause.text)
        words = [self._match(name, positions, boost) for name, boost in fields] \
            if positions else []
        whole = normalize(clause.text).strip()
        if positions and self.vocabulary is not None and whole in self.vocabulary().words \
                and all(whole not in found for _, found in positions):
            # MeCab reads a word typed alone in pieces (スク レイ ピング) that it read
            # whole in the notes' sentence (スクレイピングした): the index's word as written
            words += [Q.Term(name, whole, boost=boost) for name, boost in fields]
        return tuple(words), (*self._alternatives(clause), *self._name_alternatives(clause))

    def torn(self, text) -> bool:
        """Whether ``text`` is a katakana word cut short that MeCab tore into a word and a
        particle (マイクロサ: マイクロ + さ), found in longer words of the index: it then
        stands for those (マイクロサービス), not for the word left over (マイクロ in
        マイクロソフト)."""
        if not KATAKANA_RUN.fullmatch(text):
            return False
        morphemes = list(self.analyzer[0].morphemes(text))
        return len(morphemes) > 1 and any(is_stop(tag, lemma, surface)
                                          for _, _, surface, tag, lemma, _ in morphemes) \
            and bool(self.containing(text))

    def containing(self, text) -> list[str]:
        """Longer words of the index that ``text`` is part of (see :func:`is_part`)."""
        if self.vocabulary is None or not is_part(text):
            return []
        text = normalize(text).strip()
        vocabulary = self.vocabulary()
        found = vocabulary.containing(text)
        # a katakana word's final ー is often not written inside a longer word:
        # アーキテクチャー is part of クリーンアーキテクチャ
        shorter = text.rstrip("ー")
        if shorter != text and len(shorter) > 2 and KATAKANA_RUN.fullmatch(text):
            found += [w for w in vocabulary.containing(shorter)
                      if w not in found and w != text]
        return found

    def _japanese_forms(self, word):
        return self._planned.get("forms", word, lambda: japanese_forms(self, word))

    def _expanded_compounds(self, text, fields):
        """A compound with a word that has synonyms or long forms, written with them
        instead (DB移行: データベース移行, ML基盤: 機械学習基盤), ranked as synonyms are."""
        positions = self.analyze(text)
        if not 2 <= len(positions) <= MAX_WORDS:
            return []
        found = []
        for i, (_, words) in enumerate(positions):
            word = words[0]
            if not self.means_more(word):
                continue
            others = (*self.synonyms.lookup(word), *self.abbreviations(word))
            for other in dict.fromkeys(others):
                replaced = [alternatives for _, alternatives in
                            (*positions[:i], *self.analyze(other), *positions[i + 1:])]
                phrase = list(enumerate(replaced))
                found += [self._match(name, phrase, boost * SYNONYM_WEIGHT)
                          for name, boost in fields if name in PART_FIELDS]
        return found

    def _completions(self, text):
        """A word cut short that begins a name synonyms.yaml or the topics know stands for
        that name and what it stands for (ドメイン駆: ドメイン駆動設計, DDD), below whole words."""
        text = normalize(text).strip()
        if self.vocabulary is None or not is_part(text) or self.means_more(text) \
                or text in self.vocabulary().words:
            return []
        return [Q.Or([self._clause(Clause(name), fragments=False)], boost=COMPLETION_WEIGHT)
                for name in self.synonyms.names_starting(text)]

    def _parts(self, text, fields):
        """Queries for the longer words ``text`` is part of, ranked well below whole words."""
        found = []
        for word in self.containing(text):
            # the longer word, and what it is also called (ラズパ: ラズパイ, Raspberry Pi)
            others = (*self.synonyms.lookup(word), *self.abbreviations(word))
            for other, weight in ((word, PART_WEIGHT),
                                  *self.spellings(others, PART_WEIGHT * SYNONYM_WEIGHT)):
                positions = self.analyze(other)
                if positions:
                    found += [self._match(name, positions, boost * weight)
                              for name, boost in fields if name in PART_FIELDS]
        return found + self._cut_short(text, fields)

    def _cut_short(self, text, fields):
        """A compound typed up to the first kanji of its last word (ドメイン駆 for
        ドメイン駆動設計): its words, then the index's words that kanji begins."""
        if self.vocabulary is None or not KANJI_PART.fullmatch(normalize(text).strip()):
            return []
        positions = self.analyze(text)
        last = positions[-1][1][0] if len(positions) > 1 else ""
        if len(last) != 1 or not HAS_KANJI.match(last):
            return []
        words = self.vocabulary().starting(last, limit=CUT_CHOICES)
        return [self._match(name, [*positions[:-1], (positions[-1][0], [word])],
                            boost * PART_WEIGHT)
                for word in words for name, boost in fields if name in PART_FIELDS]

    @staticmethod
    def _match(fieldname, positions, boost):
        """Match a word (or phrase) in one field: a term, or a phrase of its morphemes."""
        if len(positions) == 1:
            words = positions[0][1]
            if len(words) == 1:
                return Q.Term(fieldname, words[0], boost=boost)
            return Q.Or([Q.Term(fieldname, w) for w in words], boost=boost)
        # particles dropped inside the query leave gaps; allow the same gaps
        slop = 1 + max(b[0] - a[0] - 1 for a, b in zip(positions, positions[1:]))
        lemmas = [words[-1] for _, words in positions]
        surfaces = [words[0] for _, words in positions]
        phrase = Q.Phrase(fieldname, lemmas, slop=slop, boost=boost)
        if surfaces == lemmas:
            return phrase
        return Q.Or([phrase, Q.Phrase(fieldname, surfaces, slop=slop, boost=boost)])
    # -- words written another way: glosses, joined Latin words, names --------

    def glosses(self) -> GlossTable:
        """The glosses of loanwords as data/synonyms.yaml corrects them."""
        if self._glosses is None:
            self._glosses = GlossTable.of(self.synonyms.glosses, self.analyzer[0])
        return self._glosses

    def english(self, text) -> tuple[str, bool]:
        """(English word, from Latin letters) of a one-word query: browser, or ブラウザ's gloss."""
        positions = self.analyze(text)
        if len(positions) != 1:  # (one word: its surface and lemma may differ)
            return "", False
        word = positions[0][1][0]
        if word.isascii():
            return (word, True) if word.isalpha() else ("", False)
        words = [(lemma, tag, surface) for _, _, surface, tag, lemma, _ in
                 self.analyzer[0].morphemes(text) if not is_stop(tag, lemma, surface)]
        # the whole text one word: サーバレ, cut short, is no サーバ
        if len(words) != 1 or normalize(words[0][2]) != normalize(text).strip():
            return "", False
        lemma, gloss = split_gloss(words[0][0])
        return self.glosses().gloss(normalize(lemma), gloss), False

    def _gloss_alternatives(self, clause, fields):
        """A Latin word finds the loanwords glossed with it, a loanword its English source."""
        english, latin = self.english(clause.text)
        if not english:
            return []
        found = []
        if not self.glosses().misleads(english):
            # the loanwords of that English, and for a loanword the others of its English,
            # clipped or not (アプリケーション: アプリ)
            found += [Q.Term(name, gloss_term(english), boost=boost * GLOSS_WEIGHT)
                      for name, boost in fields]
        if not latin:
            positions = self.analyze(english)
            return found + [self._match(name, positions, boost * GLOSS_WEIGHT)
                            for name, boost in fields]
        for word in self.glosses().words_glossed(english):
            positions = self.analyze(word)
            found += [self._match(name, positions, boost * GLOSS_WEIGHT) for name, boost in fields]
        return found + self._stem_alternatives(english, fields)

    def _stem_alternatives(self, english, fields):
        """Words of the index derived from the same stem, and the loanwords glossed with them."""
        if self.vocabulary is None:
            return []
        vocabulary = self.vocabulary()
        found = []
        for word in vocabulary.same_stem(english):
            if word in vocabulary.latin:
                found += [Q.Term(name, word, boost=boost * STEM_WEIGHT) for name, boost in fields]
            if word in vocabulary.glossed and not self.glosses().misleads(word):
                found += [Q.Term(name, gloss_term(word), boost=boost * STEM_WEIGHT * GLOSS_WEIGHT)
                          for name, boost in fields]
        return found

    def _joined_alternatives(self, clause, fields):
        """Latin words written apart also find them written as one: Fast API -> FastAPI;
        a hyphenated word finds it written as one and apart: micro-services."""
        words = clause.text.split()
        if len(words) == 1 and HYPHENATED.fullmatch(words[0]):
            parts = words[0].split("-")
            forms = ["".join(parts), " ".join(parts)]
        else:
            forms = [w for w in (joined(words),) if w]
        found = []
        for form in forms:
            positions = self.analyze(form)
            found += [self._match(name, positions, boost * JOINED_WEIGHT) for name, boost in fields]
        return found

    def _name_alternatives(self, clause):
        """A name in kana or Latin letters finds speakers by their romanisation (さとう -> 佐藤)."""
        if clause.negated or clause.field not in (None, "speaker"):
            return []
        key, by_sound = name_key(clause.text, self.analyzer[0])
        if not key or key == normalize(clause.text):
            return []
        boost = dict(FIELDS_BY_PREFIX.get(clause.field, TEXT_FIELDS))["speakers"]
        boost *= NAME_WEIGHT if by_sound else SOUND_WEIGHT
        found = [Q.Term("speakers", key, boost=boost)]
        kana = name_reading(clause.text, self.analyzer[0])
        voiceless = voiceless_key(kana) if kana else ""
        if voiceless:  # すえだ finds 末田, which UniDic reads スエタ
            found.append(Q.Term("speakers", VOICELESS + voiceless, boost=boost * VOICELESS_WEIGHT))
        return found

    @staticmethod
    def latin_spans(groups, taken=()) -> Iterator[tuple[int, int]]:
        """(start, 2) of two plain Latin words in a row, which may be one word written apart."""
        covered = {i for start in taken for i in range(start, start + taken[start])}
        i = 0
        while i + 1 < len(groups):
            pair = groups[i:i + 2]
            if not covered & {i, i + 1} and all(
                    len(g) == 1 and g[0].field is None and not g[0].negated and not g[0].phrase
                    for g in pair) and joined([g[0].text for g in pair]):
                yield i, 2
                i += 2
            else:
                i += 1

    def _written_terms(self, clause) -> set[str]:
        """Index words a clause also matches as written another way, for marking snippets."""
        found = set()
        english, latin = self.english(clause.text)
        if english and latin:
            found.update(self.glosses().words_glossed(english))
            if self.vocabulary is not None:
                found.update(self.vocabulary().glossed.get(english, ()))
        elif english:
            found.add(english)
        found.update(camel_parts(clause.text))
        return {normalize(w) for w in found}

    def _joined_terms(self, parsed) -> set[str]:
        """Two Latin words of a query written as one (Fast API: fastapi), for marking snippets."""
        return {normalize("".join(g[0].text for g in parsed.groups[start:start + span]))
                for start, span in self.latin_spans(parsed.groups,
                                                    dict(self.synonym_spans(parsed.groups)))}
