"""Synonyms applied at query time: word groups, renamed products and topic names.

A query for one word of a group also looks for the others (ranked below what
was written); a topic's label or alias also finds the sessions filed under the
topic. Nothing here touches the index, so the list can change without a
re-index.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

from kb.analysis import normalize
from kb.errors import NoteError
from kb.taxonomy import load_yaml
from kb.text import longer_starting

MAX_WORDS = 4  # the longest synonym, in query words ("Azure Cognitive Search" is 3)
_LONG_END = re.compile(r"^([ァ-ヺー]{2,}?)ー+$")
_JAPANESE_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


def synonym_key(text) -> str:
    """How a word or several words are looked up: folded, single-spaced, a katakana word
    without its final ー (アーキテクチャー names the topic アーキテクチャ)."""
    # Japanese words typed apart are one name (機械 学習: 機械学習); Latin ones stay apart
    text = _JAPANESE_GAP.sub("", normalize(text))
    return " ".join(_LONG_END.sub(r"\1", w) for w in text.split())


@dataclass(frozen=True)
class Synonyms:
    """Alternatives of words, and topic ids by topic name."""

    alternatives: dict = field(default_factory=dict)  # key -> other spellings
    topics: dict = field(default_factory=dict)  # key -> topic id
    abbreviations: dict = field(default_factory=dict)  # key -> long or short forms
    glosses: dict = field(default_factory=dict)  # loanword -> its English word ('' for none)

    def lookup(self, text) -> tuple[str, ...]:
        """Other ways to write ``text`` (never ``text`` itself), in a stable order."""
        return self.alternatives.get(synonym_key(text), ())

    def expand(self, text) -> tuple[str, ...]:
        """The long forms of an abbreviation, or the abbreviations of a long form."""
        return self.abbreviations.get(synonym_key(text), ())

    def topic(self, text) -> str | None:
        """The id of the topic ``text`` names, or None."""
        return self.topics.get(synonym_key(text))

    def names_starting(self, prefix, limit=2) -> list[str]:
        """Up to ``limit`` known names (of synonyms, abbreviations, topics) longer than
        ``prefix`` that begin with it, the shortest first."""
        found = longer_starting(self._names, synonym_key(prefix))
        return sorted(found, key=lambda k: (len(k), k))[:limit]

    @cached_property
    def _names(self) -> list[str]:
        # every known name in order, where the names a word cut short begins sit together:
        # looking through every name was a tenth of planning a word cut short
        return sorted({k for table in (self.alternatives, self.topics, self.abbreviations)
                       for k in table})

    def knows(self, text) -> bool:
        key = synonym_key(text)
        return key in self.alternatives or key in self.topics or key in self.abbreviations


def merge_groups(groups) -> dict[str, tuple[str, ...]]:
    """Key -> alternatives, from groups of equivalent words (a word in two groups gets both)."""
    found = {}
    for group in groups:
        words = [str(w).strip() for w in group if str(w).strip()]
        for word in words:
            others = found.setdefault(synonym_key(word), [])
            for other in words:
                if synonym_key(other) != synonym_key(word) and other not in others:
                    others.append(other)
    return {key: tuple(others) for key, others in found.items() if others}


def parse_synonyms(text, source="<string>", taxonomy=None) -> Synonyms:
    """Read synonyms from YAML text.

    ``groups:`` lists of words that mean the same, ``renamed:`` old -> new
    product names, ``abbreviations:`` abbreviation -> its long forms.
    """
    data = load_yaml(text, source)
    if not isinstance(data, dict):
        raise NoteError(source, 1, "synonyms are a mapping with 'groups:' and 'renamed:'")
    groups = data.get("groups") or []
    renamed = data.get("renamed") or {}
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise NoteError(source, 1, "'groups:' must be a list of lists of words")
    if not isinstance(renamed, dict):
        raise NoteError(source, 1, "'renamed:' must map an old name to the new one")
    abbreviations = data.get("abbreviations") or {}
    if not isinstance(abbreviations, dict) or not all(
            isinstance(v, (str, list)) for v in abbreviations.values()):
        raise NoteError(source, 1, "'abbreviations:' must map an abbreviation to its long forms")
    # a renamed product is found by either name: notes keep the name of their day
    groups = groups + [[old, new] for old, new in renamed.items()]
    topics = {}
    for topic in (taxonomy.topics if taxonomy else ()):
        for name in (topic.label, *topic.aliases):
            topics.setdefault(synonym_key(name), topic.id)
    expansions = {}
    for short, longs in abbreviations.items():
        for long in [longs] if isinstance(longs, str) else longs:
            for one, other in ((str(short), str(long)), (str(long), str(short))):
                forms = expansions.setdefault(synonym_key(one), [])
                if other not in forms:
                    forms.append(other)
    line = next((n for n, row in enumerate(text.splitlines(), 1) if row.startswith("glosses:")), 1)
    return Synonyms(merge_groups(groups), topics,
                    {key: tuple(forms) for key, forms in expansions.items()},
                    parse_glosses(data.get("glosses"), source, line))


def parse_glosses(glosses, source, line=1) -> dict[str, str]:
    """``glosses:`` of data/synonyms.yaml: loanword -> English word, or null for none."""
    glosses = glosses or {}
    if not isinstance(glosses, dict) or not all(
            isinstance(v, str) or v is None for v in glosses.values()):
        raise NoteError(source, line, "'glosses:' must map a word to its English word (or null)")
    return {synonym_key(str(word)): synonym_key(english or "") for word, english in glosses.items()}
