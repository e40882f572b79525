"""The search syntax: parsing a user's query into clauses.

Parsing is pure and never fails: any string is a query. Syntax: words (all
must match), "quoted phrases", -exclusion, OR between two terms, and the
prefixes title:, event:, topic: and speaker:. What is looked for then is
:mod:`kb.builder`'s work: a Japanese word, for one, is matched as a phrase of
its morphemes, so 混合精度演算 does not match 混合 ... 精度 ... 演算.
"""

import re
from dataclasses import dataclass, field

from kb.analysis import KATAKANA_RUN, MIN_FRAGMENT, normalize
from kb.vocabulary import HAS_KANJI

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 16
PREFIXES = {"title": "title", "event": "event", "topic": "topic", "topics": "topic",
            "speaker": "speaker", "speakers": "speaker"}
KANJI_PART = re.compile(r"[\u3400-\u9fff々ァ-ヺー]+")

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
