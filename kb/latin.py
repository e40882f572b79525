"""Words written in Latin letters: how the ways of writing one word meet.

- Letters and digits written together are split where they meet, and the
  pieces take positions of their own: Go1.21 is indexed as go, 1.21, the way
  "Go 1.21" is, so either finds the other, as words or as a phrase.
- A number is one word: 1.21 is not 1 and 21, so a bare 21 does not find it.
- English plurals and possessives fold to the singular (pipelines, pipeline's
  -> pipeline, APIs -> api), but only where simplemma's English dictionary
  knows the plural: a product name it does not know is never cut
  (Kubernetes, Jenkins, Redis, iOS stay whole).
- Two capitalised words written next to each other are also indexed joined
  (Spring Boot -> springboot), so that SpringBoot finds them; the query side
  joins two such words it is given (see :func:`joined`).
"""

import re
import unicodedata
from typing import Any

# Letters, also accented and full-width ones, and digits: what a Latin word is made of.
LETTERS = "A-Za-zÀ-ÖØ-öø-ÿĀ-ɏＡ-Ｚａ-ｚ"
ALNUM = LETTERS + "0-9０-９"
CONNECTORS = ".:\\-_+'’．：－＿＋＇"
# C++, C#, F# stay whole; otherwise runs of letters and digits, joined by connectors.
LATIN_WORD = re.compile(
    rf"[{LETTERS}](?:\+\+|#)(?![{ALNUM}])"
    rf"|[{ALNUM}]+(?:[{CONNECTORS}][{ALNUM}]+)*"
)
LATIN_CONNECTOR = re.compile(rf"[{CONNECTORS}]")
# what any part of a LATIN_WORD is: a text without one holds no Latin word
LATIN_CHAR = re.compile(rf"[{ALNUM}{CONNECTORS}#]")
LATIN_TAG = "名詞,英字"
# where a letter meets a digit: Go|1.21, ES|2015, A|100, 16|GB
LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
NUMBER = re.compile(r"\d+(?:[.:,\-_]\d+)*")
POSSESSIVE = re.compile(r"['’][sS]$")
ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")  # APIs, GPUs, LLMs
JOINABLE = re.compile(r"[A-Z][A-Za-z]*")  # Spring, Boot, API: a name's word


def pieces(word) -> list[tuple[int, str]]:
    """(offset, text) of the parts of a Latin word that take positions of their own.

    A possessive 's is dropped; letters and digits written together are split.
    """
    word = POSSESSIVE.sub("", word) or word
    if not any(c.isdigit() for c in word):
        return [(0, word)]
    found, offset = [], 0
    for part in LETTER_DIGIT.split(word):
        found.append((offset, part))
        offset += len(part)
    return found


def is_number(text) -> bool:
    """Whether a (folded) Latin word is a number: 2015, 1.21, 3.10."""
    return NUMBER.fullmatch(text) is not None


def connector_parts(text) -> list[str]:
    """The parts of a word joined by connectors (de:code -> de, code); none for numbers."""
    if is_number(text) or not LATIN_CONNECTOR.search(text):
        return []
    return [p for p in LATIN_CONNECTOR.split(text) if p and p != text]


class PluralFolder:
    """Folds English plurals to their singular, with simplemma's English dictionary.

    The dictionary (about 9 MB in simplemma's low-memory reader, kept by
    simplemma once per process) is read on the first word that may be a plural.
    """

    def __init__(self) -> None:
        self._lookup: Any = None  # simplemma's, read when first needed

    def __getstate__(self) -> dict[str, object]:
        return {}

    def __setstate__(self, state) -> None:
        type(self).__init__(self)

    def fold(self, written) -> str:
        """The singular of a word as written (case kept), lower-cased; else the word lower-cased."""
        lower = written.lower()
        if len(lower) < 4 or lower[-1] != "s" or not lower.isalpha():
            return lower
        if ACRONYM_PLURAL.fullmatch(written):
            return lower[:-1]
        if any(c.isupper() for c in written[1:]):  # DevOps, iOS, macOS: names, not plurals
            return lower
        if self._lookup is None:
            from simplemma.strategies import DictionaryLookupStrategy
            from simplemma.strategies.dictionaries import LOW_MEMORY_DICTIONARY_FACTORY

            # dictionary lookup alone: simplemma's rules would guess at unknown words
            self._lookup = DictionaryLookupStrategy(LOW_MEMORY_DICTIONARY_FACTORY)
        lemma = (self._lookup.get_lemma(lower, "en") or lower).lower()
        # only a plural's singular: not was -> be, has -> have
        if len(lemma) >= 3 and lemma != lower and lower.startswith(lemma[:-2]) \
                and len(lemma) <= len(lower):
            return lemma
        return lower


class LatinForms:
    """The index terms of Latin words as written, each word worked out once per process."""

    MEMO_SIZE = 50_000

    def __init__(self) -> None:
        self.plurals = PluralFolder()
        self._memo = {}

    def __getstate__(self) -> dict[str, object]:
        return {}

    def __setstate__(self, state) -> None:
        type(self).__init__(self)

    def of(self, written) -> tuple[tuple, str]:
        """(pieces, join) of a word as written.

        Pieces are (offset, length, term, parts of the term), one per position;
        ``join`` is the word lower-cased when it may be joined with the word
        next to it (a capitalised word of letters), else ''.
        """
        found = self._memo.get(written)
        if found is None:
            word = unicodedata.normalize("NFKC", written)  # the same length for Latin letters
            fold = self.plurals.fold
            found = (tuple((offset, len(piece), fold(piece),
                            tuple(fold(part) for part in connector_parts(fold(piece))))
                           for offset, piece in pieces(word)),
                     word.lower() if JOINABLE.fullmatch(word) else "")
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            self._memo[written] = found
        return found


def joined(words) -> str | None:
    """Two or more Latin query words written as one (Fast API -> FastAPI), or None."""
    if len(words) < 2 or not all(w.isascii() and w.isalpha() for w in words):
        return None
    return "".join(words)


CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")


def camel_parts(word) -> list[str]:
    """The words of a CamelCase name, lower-cased (SpringBoot -> spring, boot); [] otherwise."""
    if not word.isascii() or not word.isalpha():
        return []
    parts = CAMEL_PART.findall(word)
    return [p.lower() for p in parts] if len(parts) > 1 else []


# small words a long form holds that its acronym may or may not spell (IaC, IoT; DDD)
ACRONYM_SMALL_WORDS = frozenset({"a", "an", "and", "as", "for", "in", "of", "on", "the", "to"})
MIN_ACRONYM = 3  # two letters stand for too many things: OS is no open source


def acronyms(words):
    """The acronyms a run of English words may be written as, folded: Internet of Things ->
    iot, it; none for fewer than three letters or a word that is not a plain Latin word."""
    if len(words) < 2 or not all(w.isascii() and w.isalpha() for w in words):
        return []
    words = [w.lower() for w in words]
    if words[0] in ACRONYM_SMALL_WORDS or words[-1] in ACRONYM_SMALL_WORDS:
        return []
    every = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in ACRONYM_SMALL_WORDS)
    return [a for a in dict.fromkeys((every, content)) if len(a) >= MIN_ACRONYM]
