"""The words of one index generation, for did-you-mean and reading search.

Everything here is derived from the index itself (its title and body lexicons
and the stored text of its sessions), so it is built once per index generation
and shared by every thread; nothing is computed per query.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from bisect import bisect_left, bisect_right
from functools import cached_property

import numpy as np
import snowballstemmer

from kb.analysis import KATAKANA_RUN, JapaneseTokenizer, normalize
from kb.glosses import MARK, word_gloss
from kb.records import KIND_EVENT, KIND_READINGS
from kb.text import longer_starting
from kb.transliteration import close_forms, latin_spelling, sound_keys

WORD_FIELDS = ("title", "body")
HAS_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]")
LATIN = re.compile(r"[a-z][a-z0-9.+#\-]*")
KANA = re.compile(r"[ぁ-ゖァ-ヺー]+")
KATAKANA_WORD = re.compile(r"[ァ-ヺー]+")
HALF_WIDTH_KANA = re.compile(r"[ｦ-ﾟ]")  # the katakana of KATAKANA_RUN that width folding changes
DIGITS_AS_LETTERS = str.maketrans("013", "oie")  # handles spell o, i, e with digits
STEM_CHOICES = 4  # words of the index sharing a query word's stem, most frequent first
# endings English derives words with (interpret-ability, container-ization, deploy-ment)
DERIVED = re.compile(r"(?:abil|ibil|iz|is|at|ific|ic|al|ion|ment|ness|ity|ive|ous|ist|ism|"
                     r"able|ible|ful|less|ing|ed|er|or|ly|y|e)*(?:s|ity|ion|ies)?")
MIN_STEMMED = 5  # shorter words are their own stem, or stem into noise
PART_CHOICES = 12  # longer words a part of a word is looked for in, most frequent first
MAX_FORMS = 4  # other forms of an abbreviation (or long form) searched, the most defined
SUFFIX_CONTEXT = "情報"  # a plain noun, for reading one-kanji suffixes (情報化, 情報量)


def to_katakana(text) -> str:
    """Hiragana folded to katakana (UniDic readings are written in katakana)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def is_kana(text) -> bool:
    """Whether ``text`` is written in kana only (a reading a reader may type)."""
    return KANA.fullmatch(unicodedata.normalize("NFKC", text)) is not None


@dataclass(frozen=True)
class Vocabulary:
    """Indexed words with their document frequencies, and kanji words by reading.

    ``words``: word -> titles plus bodies containing it;
    ``katakana``: katakana runs as written in titles and notes -> sessions;
    ``readings``: katakana reading -> kanji words read that way, most frequent first;
    ``glossed``: English word -> indexed loanwords glossed with it, most frequent first.
    """

    words: dict
    katakana: dict
    readings: dict
    latin: dict = field(default_factory=dict)  # the words written in Latin letters
    longest_reading: int = 0
    # abbreviations defined in the notes, both ways: folded form -> the other forms
    abbreviations: dict = field(default_factory=dict)
    glossed: dict = field(default_factory=dict)

    @classmethod
    def of(cls, words, katakana, readings, abbreviations=None, glossed=None) -> "Vocabulary":
        """A vocabulary with its derived lookups filled in."""
        latin = {w: n for w, n in words.items() if LATIN.fullmatch(w)}
        return cls(words, katakana, readings, latin, max(map(len, readings), default=0),
                   abbreviations or {}, glossed or {})

    def words_read(self, reading) -> tuple[str, ...]:
        """Kanji words of the index whose reading is ``reading``."""
        return self.readings.get(reading, ())

    @cached_property
    def sounds(self) -> dict[str, tuple[str, ...]]:
        """Sound key -> Latin and katakana words of the index (see kb.transliteration)."""
        found = {}
        words = [w for w in self.latin if len(w) > 2]
        words += [w for w in (*self.words, *self.katakana)
                  if len(w) > 2 and KATAKANA_WORD.fullmatch(w)]
        for word in dict.fromkeys(words):
            for key in sound_keys(word):
                found.setdefault(key, []).append(word)
        return found

    @cached_property
    def latin_by_length(self) -> "ByLength":
        """The Latin words, by length: where misspellings are looked for."""
        return ByLength(self.latin)

    @cached_property
    def katakana_by_length(self) -> "ByLength":
        """The katakana runs, by length: where katakana slips are looked for."""
        return ByLength(self.katakana)

    def prepare(self) -> None:
        """Compute every lookup now: before the vocabulary is kept on disk or shared by processes."""
        for name in ("sounds", "spellings", "_part_index", "_sorted_words", "stems", "latin_by_length",
                     "katakana_by_length"):
            getattr(self, name)

    @cached_property
    def stems(self) -> dict[str, list[str]]:
        """English stem -> Latin words and loanwords' glosses of the index, most frequent first."""
        stemmer = snowballstemmer.stemmer("english")
        counts = {**{g: len(ws) for g, ws in self.glossed.items()}, **self.latin}
        words = sorted((w for w in counts if len(w) >= MIN_STEMMED and w.isalpha()),
                       key=lambda w: (-counts[w], w))
        found = {}
        for word, stem in zip(words, stemmer.stemWords(words)):
            found.setdefault(stem, []).append(word)
        return found

    def same_stem(self, word) -> list[str]:
        """Other English words of the index with the stem of ``word`` (interpretable for
        interpretability): the glosses of loanwords count, so containerization finds コンテナ."""
        if len(word) < MIN_STEMMED or not word.isalpha():
            return []
        stem = snowballstemmer.stemmer("english").stemWord(word)
        ending = word[len(stem):]
        if not word.startswith(stem) or ending in ("", "s", "es") or not DERIVED.fullmatch(ending):
            # only a word built on its stem by English derivation: Kubernets is a slip,
            # not a plural of Kubernet (did-you-mean answers it)
            return []
        # a stem may itself be a word (containerization -> container, stemmed contain)
        found = [stem] if stem in self.latin or stem in self.glossed else []
        found += [w for w in self.stems.get(stem, ()) if w not in found]
        return [w for w in found if w != word][:STEM_CHOICES]

    @cached_property
    def spellings(self) -> dict[str, str]:
        """Latin words by the letters kana would spell them with (yuzutas0 -> yuzutaso)."""
        return {w.translate(DIGITS_AS_LETTERS): w for w in self.latin if w.isalnum()}

    @cached_property
    def _part_index(self):
        """Every word and katakana run, joined, for finding the ones a string is part of."""
        entries = sorted({*(w for w in self.words if len(w) > 2),
                          *(r for r in self.katakana if len(r) > 2)})
        starts, at = [], 0
        for entry in entries:
            starts.append(at)
            at += len(entry) + 1
        return "\n".join(entries), starts, entries

    @cached_property
    def _sorted_words(self) -> list[str]:
        return sorted(self.words)

    def starting(self, prefix, limit=PART_CHOICES) -> list[str]:
        """Up to ``limit`` longer words of the index that begin with ``prefix``, most frequent first."""
        found = longer_starting(self._sorted_words, prefix)
        return sorted(found, key=lambda w: (-self.words[w], w))[:limit]

    def containing(self, part, limit=PART_CHOICES) -> list[str]:
        """Up to ``limit`` longer words or katakana runs of the index that contain ``part``.

        A substring search over the words themselves (a few hundred kilobytes
        of text), most frequent first: no posting lists of word pieces needed.
        """
        joined, starts, entries = self._part_index
        found = set()
        at = joined.find(part)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            if entries[i] != part:
                found.add(entries[i])
            at = joined.find(part, starts[i] + len(entries[i]) + 1) if i + 1 < len(starts) else -1
        ranked = sorted(found, key=lambda w: (-(self.words.get(w, 0) + self.katakana.get(w, 0)), w))
        return ranked[:limit]

    def across_scripts(self, text) -> list[str]:
        """Words of the index in another script that sound like ``text``: see kb.transliteration."""
        if len(text) < 3:
            return []
        kana = KANA.fullmatch(text) is not None
        heard = dict.fromkeys(w for key in sound_keys(text) for w in self.sounds.get(key, ()))
        found = [w for w in heard
                 if (KATAKANA_WORD.fullmatch(w) is None) == kana and close_forms(text, w)]
        if kana:
            for spelling in dict.fromkeys((latin_spelling(text), latin_spelling(text)[:-1])):
                word = self.spellings.get(spelling) if len(spelling) > 2 else None
                if word and word not in found:
                    found.append(word)
        return found


def letters(word: str) -> int:
    """A word's letters as a set of bits (64, so some letters share one)."""
    bits = 0
    for c in word:
        bits |= 1 << (ord(c) & 63)
    return bits


class ByLength:
    """Words sorted by length, to look among those a few slips away only.

    Each word keeps the set of its letters as bits: an edit (a letter added,
    dropped or replaced; two swapped) changes at most two of them, so a word
    ``k`` edits away differs in ``2k`` bits at most, and numpy rules out most
    of a large vocabulary before any distance is computed.
    """

    def __init__(self, words):
        self.words = sorted(words, key=len)
        self.lengths = [len(w) for w in self.words]
        self.letters = np.array([letters(w) for w in self.words], dtype=np.uint64)

    def around(self, word: str, most: int) -> list[str]:
        """The words ``most`` edits from ``word`` at most could reach (and some farther)."""
        start = bisect_left(self.lengths, len(word) - most)
        end = bisect_right(self.lengths, len(word) + most)
        differ = np.bitwise_count(self.letters[start:end] ^ np.uint64(letters(word)))
        return [self.words[start + i] for i in np.flatnonzero(differ <= 2 * most).tolist()]


def word_frequencies(reader) -> dict[str, list[int]]:
    """Indexed title and body terms, each with how many titles and bodies hold it."""
    found = {}
    for fieldname in WORD_FIELDS:
        for word, count in reader.term_frequencies(fieldname).items():
            found[word] = found.get(word, 0) + count
    return found


def katakana_runs(texts) -> dict[str, int]:
    """Katakana runs of some texts, width-folded, with the number of texts holding each."""
    found = {}
    for text in texts:
        runs = KATAKANA_RUN.findall(text)
        # full-width katakana are as folded already: only half-width ones need folding
        if runs and HALF_WIDTH_KANA.search(text):
            runs = [normalize(run) for run in runs]
        # each once per text, in the order written: a set's order changed from build to build
        for run in dict.fromkeys(runs):
            if len(run) >= 3:
                found[run] = found.get(run, 0) + 1
    return found


def reading_of(tokenizer, word) -> str:
    """The katakana reading of a word (its morphemes' readings joined), or ''."""
    parts = [reading for *_, reading in tokenizer.morphemes(word)]
    return "".join(parts) if parts and all(parts) else ""


def suffix_reading(tokenizer, word) -> str:
    """How a one-kanji word reads after a noun: 化 alone is バケル, in 量子化 it is カ."""
    parts = list(tokenizer.morphemes(SUFFIX_CONTEXT + word))
    if len(parts) == 2 and parts[0][2] == SUFFIX_CONTEXT:
        return parts[1][5]
    return ""


def word_readings(tokenizer, words) -> dict[str, list[str]]:
    """Each kanji word of ``words`` with its readings, the word read on its own.

    A katakana loanword's English gloss is kept too, under the word marked
    (≈ブラウザ: [browser]), so that snippets can mark the word a gloss matched.
    """
    found = {}
    for word in words:
        if HAS_KANJI.search(word):
            readings = {reading_of(tokenizer, word)}
            if len(word) == 1:
                readings.add(suffix_reading(tokenizer, word))
            found[word] = sorted(readings - {""})
        elif len(word) > 1 and KATAKANA_WORD.fullmatch(word):
            gloss = word_gloss(tokenizer, word)
            if gloss:
                found[MARK + word] = [gloss]
    return found


def glossed_words(words, known) -> dict[str, tuple[str, ...]]:
    """English word -> the loanwords of ``words`` glossed with it, most frequent first."""
    found = {}
    for word, count in words.items():
        for gloss in known.get(MARK + word, ()):
            found.setdefault(gloss, []).append((-count, word))
    return {g: tuple(w for _, w in sorted(ws)) for g, ws in found.items()}


def kanji_readings(tokenizer, words, known=None) -> dict[str, tuple[str, ...]]:
    """Reading -> kanji words, each word read on its own, most frequent first.

    ``known`` maps words to readings found when the notes were indexed; only
    words missing from it (an index written before they were kept) are read now.
    """
    known = known or {}
    missing = [w for w in words if w not in known and HAS_KANJI.search(w)]
    if missing:
        known = {**known, **word_readings(tokenizer, missing)}
    by_reading = {}
    for word, count in words.items():
        for reading in known.get(word, ()):
            by_reading.setdefault(reading, []).append((-count, word))
    return {r: tuple(w for _, w in sorted(ws)) for r, ws in by_reading.items()}


def stored_readings(reader) -> dict[str, list[str]]:
    """The word readings the index keeps (see :func:`word_readings`), later runs last."""
    known = {}
    for doc in reader.documents(KIND_READINGS):
        known.update(doc["record"]["readings"])
    return known


def build_vocabulary(reader, tokenizer=None) -> Vocabulary:
    """The :class:`Vocabulary` of the index ``reader`` reads."""
    tokenizer = tokenizer or JapaneseTokenizer()
    words = word_frequencies(reader)
    katakana: dict[str, int] = {}
    defined: dict[str, dict[str, int]] = {}  # form -> other forms, in order of first sight -> events
    for doc in reader.documents(KIND_EVENT):  # counted when the notes were indexed
        for run, count in doc["record"].get("katakana", {}).items():
            katakana[run] = katakana.get(run, 0) + count
        for short, longs in doc["record"].get("abbreviations", {}).items():
            for long in longs:
                for one, other in ((short, long), (long, short)):
                    forms = defined.setdefault(normalize(one), {})
                    forms[other] = forms.get(other, 0) + 1
    known = stored_readings(reader)
    readings = kanji_readings(tokenizer, words, known)
    return Vocabulary.of(words, katakana, readings,
                         {k: most_defined(v) for k, v in defined.items()},
                         glossed_words(words, known))


def most_defined(forms: dict[str, int]) -> tuple[str, ...]:
    """The MAX_FORMS forms defined by the most events, in the order first seen.

    An abbreviation bracketed after many different words is no longer one
    word's: each form becomes a phrase of every query holding it (a
    hundred and more for MIG in 100,000 generated notes, half a second).
    """
    if len(forms) <= MAX_FORMS:
        return tuple(forms)
    ranked = sorted(forms, key=lambda form: -forms[form])  # stable: ties keep their order
    kept = set(ranked[:MAX_FORMS])
    return tuple(form for form in forms if form in kept)


def segment_reading(kana, readings, longest, limit=4) -> list[tuple[str, ...]]:
    """Ways to read a kana string as a sequence of known readings, fewest pieces first.

    One-kana pieces (化 カ, 木 キ) are allowed, but fewest pieces win, and the
    words must then stand next to each other in a session to match. Returns
    up to ``limit`` segmentations.
    """
    kana = to_katakana(kana)
    n = len(kana)
    # fewest pieces from each position to the end (dynamic programming, right to left)
    best = [None] * n + [0]
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + longest), i, -1):
            after, here = best[j], best[i]
            if after is not None and kana[i:j] in readings and (here is None or after + 1 < here):
                best[i] = after + 1
    if best[0] is None:
        return []
    found = []

    def walk(i, pieces):
        if len(found) >= limit:
            return
        if i == n:
            found.append(tuple(pieces))
            return
        for j in range(min(n, i + longest), i, -1):
            after = best[j]
            if after is not None and after + 1 == best[i] and kana[i:j] in readings:
                walk(j, pieces + [kana[i:j]])

    walk(0, [])
    return found
