"""Topics of sessions: their own tags, and topics their text gives evidence for.

Evidence for a topic is the weight of its terms' mentions in a session. A
mention in the title is enough on its own (``TITLE_WEIGHT``); in the notes
each mention counts 1, in notes longer than ``LONG_NOTES`` characters less (by
the square root of how much longer: a passing word in a long report says
less). A generic term (a word also used in passing, such as デプロイ) counts
half. Each word counts once, as the longest term it is part of ("Spring Cloud"
is a mention of Spring, not of clouds; "Windows Server 2016" one mention).

A term counts only in its context: beside one of its ``with`` words when it
has any; not inside a ``without`` phrase that contains it, and not at all
beside a ``without`` word that does not. Evidence for a narrower topic is
evidence for its parents too.

A topic found in the text alone needs ``THRESHOLD``. An event's tags (and a
blog post's categories) only suggest topics: a session takes one when its own
text gives at least ``TAG_THRESHOLD`` of evidence for it. A session's own tags
are taken as they are. Every topic brings its parents.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from kb.taxonomy import Term

THRESHOLD = 5  # evidence a topic needs from a session's text alone
TITLE_WEIGHT = THRESHOLD  # a topic named in the title is a topic of the session
GENERIC_WEIGHT = 0.5  # a generic term weighs half as much
LONG_NOTES = 1000  # characters of notes beyond which a mention counts less
TAG_THRESHOLD = 1  # evidence a session needs to take a topic its event is tagged with
# part of the taxonomy's digest: a change in how topics are found re-tags every note
RULES_VERSION = 2


def taxonomy_digest(data) -> str:
    """A digest of a taxonomy file's bytes and of the rules that apply it."""
    return hashlib.sha256(data + f"\nrules {RULES_VERSION}".encode()).hexdigest()[:16]


def term_positions(analyzer, text) -> "TermPositions":
    """Map each indexed term of ``text`` to the set of its positions."""
    grouped = analyzer.positions(text) if hasattr(analyzer, "positions") else None
    if grouped is None:  # kb's own analyzers group their terms by word
        grouped = {}
        for token in analyzer(text, positions=True, mode="index"):
            grouped.setdefault(token.text, []).append(token.pos)
    return TermPositions(grouped)


class TermPositions:
    """A text's terms, and the set of each one's positions, made when first asked for.

    A text has hundreds of terms and tagging looks up a few dozen of them.
    """

    __slots__ = ("lists", "_sets")

    def __init__(self, lists: dict[str, list[int]]) -> None:
        self.lists = lists  # each term's positions, ascending
        self._sets: dict[str, set[int]] = {}

    def get(self, term, default=None) -> set[int] | None:
        """The positions of ``term`` (``default`` if the text has none)."""
        found = self._sets.get(term)
        if found is None:
            held = self.lists.get(term)
            if held is None:
                return default
            found = self._sets[term] = set(held)
        return found

    def __getitem__(self, term) -> set[int]:
        found = self.get(term)
        if found is None:
            raise KeyError(term)
        return found

    def __contains__(self, term) -> bool:
        return term in self.lists

    def __iter__(self):
        return iter(self.lists)

    def __len__(self) -> int:
        return len(self.lists)

    def keys(self):
        """The text's terms, in the order of their first occurrence."""
        return self.lists.keys()


def term_pattern(analyzer, term) -> tuple[tuple[int, str], ...]:
    """A match term as (relative position, word) pairs, analysed as a query is."""
    if hasattr(analyzer, "terms"):  # kb's own analyzers: no token object per word
        tokens = [(pos, text) for text, _, pos, _, _ in analyzer.terms(term, True, mode="query")]
    else:
        tokens = [(t.pos, t.text) for t in analyzer(term, positions=True, mode="query")]
    if not tokens:
        return ()
    first = tokens[0][0]
    return tuple((pos - first, word) for pos, word in tokens)


def contains(outer, inner) -> bool:
    """Whether pattern ``inner`` occurs inside pattern ``outer``."""
    words = dict(outer)
    return any(all(words.get(start + offset) == word for offset, word in inner)
               for start in words)


def match_starts(positions, pattern) -> list[int]:
    """Where a pattern occurs in a text's term positions: the position of its first word."""
    if not pattern:
        return []
    starts = positions.get(pattern[0][1])
    if not starts:
        return []
    # word by word, the starts whose next word follows: most patterns stop at their second word
    for offset, word in pattern[1:]:
        at = positions.get(word)
        if not at:
            return []
        starts = [start for start in starts if start + offset in at]
        if not starts:
            return []
    return sorted(starts)


def count_matches(positions, pattern) -> int:
    """How many times a pattern occurs in a text's term positions."""
    return len(match_starts(positions, pattern))


class Mention(NamedTuple):
    """Where a term occurs: the field, the positions of its words, its weight there."""

    field: str  # "title" or "text"
    start: int
    end: int  # one past the last word
    weight: float

    def inside(self, other) -> bool:
        """Whether this mention is part of a longer mention ``other``."""
        return (self.field == other.field and other.start <= self.start and self.end <= other.end
                and other.end - other.start > self.end - self.start)


def nested(mentions) -> set:
    """The mentions that lie inside a longer mention, found in one sweep (not pair by pair).

    Sorted by field, start and then the longest first, every mention that a
    mention before it covers is inside it: a long note has thousands of them.
    """
    inside = set()
    ordered = sorted(mentions, key=lambda m: (m.field, m.start, -m.end))
    field, reach, i = None, -1, 0
    while i < len(ordered):
        m = ordered[i]
        if m.field != field:
            field, reach = m.field, -1
        same = i
        while same < len(ordered) and ordered[same][:3] == m[:3]:
            same += 1  # mentions of one span (terms of several topics) do not cover each other
        if reach >= m.end:
            inside.update(ordered[i:same])
        reach = max(reach, m.end)
        i = same
    return inside


def weigh(mentions) -> float:
    """The evidence of mentions, each word counted once: a longer mention first.

    "Windows Server 2016" is one mention, not one of Windows Server and one of
    Windows; a session's AWS Lambda is one mention of cloud, not two.
    """
    covered, total = set(), 0
    for field, start, end, weight in sorted(mentions, key=_longest_heaviest):
        if end - start == 1:  # most mentions: one word
            word = (field, start)
            if word not in covered:
                covered.add(word)
                total += weight
            continue
        words = {(field, p) for p in range(start, end)}
        if not words & covered:
            covered |= words
            total += weight
    return total


def _longest_heaviest(m) -> tuple[int, float]:
    return m.start - m.end, -m.weight


@dataclass(frozen=True)
class Matcher:
    """A term, analysed: its pattern, weight and the patterns of its context."""

    pattern: tuple
    weight: float
    with_any: tuple = ()
    without: tuple = ()  # phrases that keep the term from counting in a session
    masks: tuple = ()  # phrases the term is part of, where it does not count
    # made from the above: the pattern after its first word, its length in words, and
    # whether it has a context to check (few do)
    rest: tuple = field(init=False, repr=False, compare=False)
    length: int = field(init=False, repr=False, compare=False)
    bounded: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rest", self.pattern[1:])
        object.__setattr__(self, "length", self.pattern[-1][0] + 1 if self.pattern else 0)
        object.__setattr__(self, "bounded", bool(self.with_any or self.without or self.masks))


class Evidence:
    """The analysed title and notes of one session, and where each term occurs there."""

    def __init__(self, in_title, in_text, length=0) -> None:
        in_notes = min(1.0, LONG_NOTES / max(length, 1)) ** 0.5
        self.fields = (("title", in_title, TITLE_WEIGHT), ("text", in_text, in_notes))
        self._present = {}

    def words(self) -> set[str]:
        """Every word of the title and the notes."""
        (_, in_title, _), (_, in_text, _) = self.fields
        return in_title.keys() | in_text.keys()

    def has(self, pattern) -> bool:
        """Whether ``pattern`` occurs in the title or the notes."""
        if pattern not in self._present:
            self._present[pattern] = any(match_starts(positions, pattern)
                                         for _, positions, _ in self.fields)
        return self._present[pattern]

    def in_context(self, with_any, without) -> bool:
        """Whether one of ``with_any`` (if any) and none of ``without`` occur."""
        return ((not with_any or any(self.has(p) for p in with_any))
                and not any(self.has(p) for p in without))

    def mentions(self, matcher) -> list[Mention]:
        """Each mention of a term that counts."""
        if matcher.bounded and not self.in_context(matcher.with_any, matcher.without):
            return []
        found: list[Mention] = []
        head = matcher.pattern[0][1]
        for name, positions, weight in self.fields:
            if head in positions:
                found += self.placed(name, positions, weight, matcher,
                                     match_starts(positions, matcher.pattern))
        return found

    @staticmethod
    def placed(name, positions, weight, matcher, starts) -> list[Mention]:
        """The mentions of ``matcher`` in one field at ``starts``, those its masks cover left out."""
        length = matcher.length
        if starts and matcher.masks:
            masked = {(s, s + mask[-1][0] + 1) for mask in matcher.masks
                      for s in match_starts(positions, mask)}
            if masked:
                starts = [start for start in starts
                          if not any(s <= start and start + length <= e for s, e in masked)]
        weight *= matcher.weight
        return [Mention(name, start, start + length, weight) for start in starts]


class TopicTagger:
    """Topics of sessions, from their tags, their event's tags and their text."""

    def __init__(self, taxonomy, analyzer) -> None:
        self.taxonomy = taxonomy
        self.analyzer = analyzer
        self.matchers = {t.id: self._compile(t.terms) for t in taxonomy.topics}
        # matchers by their first word: a session looks only at the terms it may hold
        by_head = defaultdict(list)
        for topic_id, matchers in self.matchers.items():
            for matcher in matchers:
                by_head[matcher.pattern[0][1]].append((topic_id, matcher))
        # each with the word after its first (None for a term of one word) and
        # whether it counts wherever it occurs: what the loop over a session's words reads
        self._heads = {word: tuple((topic_id, matcher, matcher.rest[0][1] if matcher.rest else None,
                                    not matcher.bounded) for topic_id, matcher in entries)
                       for word, entries in by_head.items()}
        self.context = {t.id: (self._patterns(t.with_any), self._patterns(t.without))
                        for t in taxonomy.topics}
        self._bounded = {topic_id for topic_id, (with_any, without) in self.context.items()
                         if with_any or without}  # the few topics with a context to check
        # each topic with every narrower one, so that evidence flows up
        self.subtree = {t.id: (t.id, *taxonomy.descendants(t.id)) for t in taxonomy.topics}
        # each topic with every broader one: the topics a topic's mentions are evidence for
        self._upward = {t.id: (t.id, *taxonomy.ancestors(t.id)) for t in taxonomy.topics}
        self._tag_matchers = {}  # tags the taxonomy does not know match their own name
        self._tag_topics = {}  # the topic of each tag met: an event's tags come with each session
        # every index term of the titles and notes tagged: the indexer reads
        # their readings once, so that a server need not
        self.words = set()

    def _patterns(self, words):
        return tuple(p for p in (term_pattern(self.analyzer, w) for w in words) if p)

    def _compile(self, terms):
        compiled = []
        for term in terms:
            pattern = term_pattern(self.analyzer, term.text)
            if pattern:
                without = self._patterns(term.without)
                compiled.append(Matcher(
                    pattern, GENERIC_WEIGHT if term.generic else 1, self._patterns(term.with_any),
                    without=tuple(p for p in without if not contains(p, pattern)),
                    masks=tuple(p for p in without if contains(p, pattern))))
        return tuple(compiled)

    def evidence(self, title, text) -> Evidence:
        """The analysed title and notes of a session."""
        in_title = term_positions(self.analyzer, title)
        in_text = term_positions(self.analyzer, text) if text else TermPositions({})
        self.words.update(in_title.lists)
        self.words.update(in_text.lists)
        return Evidence(in_title, in_text, len(text or ""))

    def own_mentions(self, evidence) -> dict[str, list]:
        """Mentions of each known topic's own terms (none where out of context).

        Words are read as the longest term they are part of: the Web of
        Webセキュリティ and the cloud of Spring Cloud are no mention of Web
        development or of clouds.
        """
        # A session holds a couple of dozen of the terms' first words, and most terms
        # of several words stop at the second: the loop does little for each.
        found: dict[str, list[Mention]] = {}
        heads = self._heads
        longer = False  # whether a mention spans several words: only then is one inside another
        for name, positions, weight in evidence.fields:
            lists = positions.lists
            for word in lists.keys() & heads.keys():
                at = lists[word]
                for topic_id, matcher, second, plain in heads[word]:
                    if second is None:
                        # a word's positions ascend, repeated only where a Latin word has
                        # two equal parts
                        starts = at if len(at) == 1 else sorted(set(at))
                    elif second not in lists:
                        continue
                    else:
                        starts = match_starts(positions, matcher.pattern)
                        if not starts:
                            continue
                        longer = True
                    if plain:
                        length, counts = matcher.length, weight * matcher.weight
                        mentions = [Mention(name, start, start + length, counts)
                                    for start in starts]
                    elif evidence.in_context(matcher.with_any, matcher.without):
                        mentions = evidence.placed(name, positions, weight, matcher, starts)
                        if not mentions:
                            continue
                    else:
                        continue
                    held = found.get(topic_id)
                    if held is None:
                        found[topic_id] = mentions
                    else:
                        held += mentions
        for topic_id in self._bounded.intersection(found):
            if not evidence.in_context(*self.context[topic_id]):
                del found[topic_id]
        if not longer:
            return found
        inner = nested({m for mentions in found.values() for m in mentions})
        if not inner:
            return found
        return {topic_id: kept for topic_id, mentions in found.items()
                if (kept := [m for m in mentions if m not in inner])}

    def scores(self, evidence) -> dict[str, float]:
        """Evidence for each known topic, its narrower topics' mentions included."""
        own = self.own_mentions(evidence)
        if not own:
            return {}
        reached = {u for topic_id in own for u in self._upward[topic_id]}
        found = {}
        for topic_id, subtree in self.subtree.items():  # in the taxonomy's order
            if topic_id in reached:
                total = weigh([m for t in subtree if t in own for m in own[t]])
                if total:
                    found[topic_id] = total
        return found

    def tag_score(self, topic, evidence, scores) -> float:
        """Evidence for a topic an event's tag names."""
        if topic.known:
            return scores.get(topic.id, 0)
        if topic.label not in self._tag_matchers:
            self._tag_matchers[topic.label] = self._compile((Term(topic.label),))
        return weigh([m for matcher in self._tag_matchers[topic.label]
                      for m in evidence.mentions(matcher)])

    def automatic(self, title, text) -> list:
        """Known topics a session's text alone gives enough evidence for."""
        scores = self.scores(self.evidence(title, text))
        return [t for t in self.taxonomy.topics if scores.get(t.id, 0) >= THRESHOLD]

    def topics(self, event_tags, session_tags, title, text) -> tuple:
        """All topics of a session, without repeats, in a stable order, parents included."""
        evidence = self.evidence(title, text)
        scores = self.scores(evidence)
        found = {}
        for tag in session_tags:
            topic = self._topic_for_tag(tag)
            found.setdefault(topic.id, topic)
        for tag in event_tags:
            topic = self._topic_for_tag(tag)
            if topic.id not in found and self.tag_score(topic, evidence, scores) >= TAG_THRESHOLD:
                found[topic.id] = topic
        automatic = [t for t in self.taxonomy.topics if scores.get(t.id, 0) >= THRESHOLD] \
            if scores else []
        # the narrowest first: its parents follow it
        broader = {a for t in (*found.values(), *automatic) for a in self.taxonomy.ancestors(t.id)}
        for topic in automatic:
            if topic.id not in broader:
                found.setdefault(topic.id, topic)
        return self.taxonomy.with_ancestors(tuple(found.values()))

    def _topic_for_tag(self, tag):
        """``taxonomy.topic_for_tag``, remembered: a tag (a str) names the same topic each time."""
        topic = self._tag_topics.get(tag)
        if topic is None:
            topic = self._tag_topics[tag] = self.taxonomy.topic_for_tag(tag)
        return topic
