"""Did you mean: a corrected query from the index's own words.

Three kinds of slips are corrected: Latin misspellings (Jenkis -> Jenkins),
katakana near-misses (ディープラーニグ -> ディープラーニング) and kanji that an
input method chose wrongly for the right reading (機会学習 -> 機械学習).

A correction must be a plausible slip of what was typed: few edits for the
word's length, in the same script, a neighbouring key costing half an edit;
and a real word (one UniDic knows, or a common English word) is never
corrected into another word, nor a plural into its singular: the reader
meant it. Candidates are found by rapidfuzz among the index's words of the
same script, nearest first; each is tried as a query until one finds more
sessions than the query (a correction that finds no more is never offered),
and of the misspelt words' corrections the one that finds the most wins.
"""

import gzip
import json
import re
import unicodedata
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kb.analysis import KATAKANA_RUN, LATIN_WORD, normalize
from kb.vocabulary import HAS_KANJI

KANJI = re.compile(r"[\u3400-\u9fff々]+")
FEW_RESULTS = 3  # a query finding fewer sessions than this gets a suggestion
CANDIDATES = 3  # corrections tried per misspelt word
MAX_TRIES = 12  # corrections tried per query, each a search
RARER = 2  # a word of the notes is corrected only to words this many times as frequent
SHORTLIST = 40  # near words scored more carefully, per misspelt word
COMMON = 100  # occurrences in pyspellchecker's English counts that make a word common
KEYBOARD = ("1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours():
    found = {}
    for r, row in enumerate(KEYBOARD):
        for c, key in enumerate(row):
            near = set()
            for dr in (-1, 0, 1):
                if 0 <= r + dr < len(KEYBOARD):
                    other = KEYBOARD[r + dr]
                    near.update(other[max(0, c - 1):c + 2])
            found[key] = frozenset(near - {key})
    return found


NEIGHBOURS = _neighbours()


def slip_cost(a, b) -> float:
    """What typing ``b`` for ``a`` costs: half an edit for a neighbouring key."""
    return 0.5 if b in NEIGHBOURS.get(a, ()) else 1.0


def edit_distance(a, b, limit) -> float:
    """Optimal-string-alignment distance (a swap of neighbours costs 1, a neighbouring
    key half), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = previous = [float(j) for j in range(len(b) + 1)]  # previous2 is read from i = 2
    for i, ca in enumerate(a, start=1):
        current = [float(i)] + [0.0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0.0 if ca == cb else slip_cost(ca, cb)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_distance(word) -> int:
    """How many slips a word of this length may have: none in very short words."""
    n = len(word)
    return 0 if n < 4 else 1 if n < 7 else 2


class EnglishWords:
    """Common English words (pyspellchecker's counts), to tell a real word from a slip.

    Read on first use: about a second, so a server reads it while warming up.
    """

    def __init__(self, min_count=COMMON) -> None:
        self.min_count = min_count
        self._words: frozenset[str] | None = None

    def load(self) -> frozenset[str]:
        """Read the word list now."""
        if self._words is None:
            data = (resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()
            counts = json.loads(gzip.decompress(data))
            self._words = frozenset(w for w, n in counts.items() if n >= self.min_count)
        return self._words

    def __contains__(self, word) -> bool:
        return word.lower() in self.load()


def is_plural_of(word, other) -> bool:
    """Whether ``word`` is ``other`` with an English plural ending."""
    return word in (other + "s", other + "es") or (other.endswith("y") and word == other[:-1] + "ies")


def nearest(word, known, real=False, limit=CANDIDATES, by_length=None) -> list[str]:
    """Words of ``known`` (word -> frequency) that ``word`` may be a slip of, best first.

    A real word is never corrected. A word the notes themselves use is only
    corrected to a far more frequent one (notes have typos too: Auzre).
    ``by_length`` (a :class:`~kb.vocabulary.ByLength` of ``known``) narrows
    the words compared to those of a length and letters a few slips can reach.
    """
    most = allowed_distance(word)
    if real or not most:
        return []
    floor = RARER * known[word] if word in known else 0
    choices = known.keys() if by_length is None else by_length.around(word, most)
    near = process.extract(word, choices, scorer=OSA.distance, score_cutoff=most,
                           limit=SHORTLIST)
    scored = []
    for candidate, _, _ in near:
        count = known[candidate]
        if count > floor and candidate != word and not is_plural_of(word, candidate):
            distance = edit_distance(word, candidate, most)
            if distance <= most:
                scored.append((distance, -count, candidate))
    return [candidate for *_, candidate in sorted(scored)[:limit]]


def known_to_unidic(tokenizer, word) -> bool:
    """Whether UniDic reads ``word`` as one word it knows (it has a lemma of its own)."""
    parts = tokenizer.morphemes(word)
    return len(parts) == 1 and bool(parts[0][5])  # an unknown word has no reading


def same_case(template, word) -> str:
    """``word`` in the case the reader typed: Auzre -> Azure, AUZRE -> AZURE, GPUo -> GPU.

    Capitals with one small letter among them are capitals typed with a slip
    (the slip is most often that letter), not a capitalised word.
    """
    capitals = sum(c.isupper() for c in template)
    if capitals > 1 and capitals >= len(template) - 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def word_fixes(text, vocabulary, tokenizer, english=()) -> list[tuple[int, int, list[str]]]:
    """(start, end, [replacements]) for the parts of a query word that look mistyped."""
    fixes = []
    for m in LATIN_WORD.finditer(text):
        word = normalize(m.group(0))
        found = nearest(word, vocabulary.latin, real=word in english,
                        by_length=vocabulary.latin_by_length)
        if found:
            fixes.append((m.start(), m.end(), [same_case(m.group(0), w) for w in found]))
    for m in KATAKANA_RUN.finditer(text):
        word = unicodedata.normalize("NFKC", m.group(0))
        found = nearest(word, vocabulary.katakana, real=known_to_unidic(tokenizer, word),
                        by_length=vocabulary.katakana_by_length)
        if found:
            fixes.append((m.start(), m.end(), found))
    if HAS_KANJI.search(text):
        fixes += kanji_fixes(list(tokenizer.morphemes(text)), vocabulary)
    return fixes


def kanji_fixes(morphemes, vocabulary) -> list[tuple[int, int, list[str]]]:
    """Input-method slips: another kanji word of the index with the same reading.

    An input method converts whole words, so a slip is a word of as many kanji:
    one MeCab knows (機会 for 機械), two single kanji MeCab could only read
    apart (深想 for 深層: シン + ソウ), or a single kanji after a word (脆弱生
    for 脆弱性). Two kanji read apart must keep one of theirs in place: their
    reading joined is MeCab's guess, not what was typed.
    """
    fixes = []
    words = [m for m in morphemes if m[5] and KANJI.fullmatch(m[2])]
    ends = {m[1] for m in words}
    for start, end, surface, _, _, reading in words:
        if len(surface) > 1 or start in ends:
            fixes += same_reading(start, end, surface, reading, vocabulary)
    for a, b in zip(words, words[1:]):
        if a[1] == b[0] and len(a[2]) == len(b[2]) == 1:
            fixes += same_reading(a[0], b[1], a[2] + b[2], a[5] + b[5], vocabulary, kept=1)
    return fixes


def same_reading(start, end, surface, reading, vocabulary,
                 kept=0) -> list[tuple[int, int, list[str]]]:
    """[(start, end, words)] of the index's kanji words read as ``reading``, as long as
    ``surface`` and keeping at least ``kept`` of its kanji in place; or []."""
    surface = normalize(surface)
    others = [w for w in vocabulary.words_read(reading)
              if w != surface and len(w) == len(surface) and KANJI.fullmatch(w)
              and sum(x == y for x, y in zip(w, surface)) >= kept]
    return [(start, end, others[:CANDIDATES])] if others else []


def did_you_mean(query, parsed, vocabulary, tokenizer, count, english=()) -> str | None:
    """A corrected query that finds more sessions than ``query``, or None.

    ``count(text)`` is how many sessions a query text finds; it is called a
    few times per correction, only for queries that found few sessions.
    """
    fixes = []  # (start, end, replacements) of each mistyped word, in the whole query
    for group in parsed.groups:
        for clause in group:
            if clause.negated or clause.field not in (None, "title"):
                continue
            at = query.find(clause.text)
            if at >= 0:
                fixes += [(at + start, at + end, replacements) for start, end, replacements
                          in word_fixes(clause.text, vocabulary, tokenizer, english)]
    if not fixes:  # nothing looks mistyped: no search at all
        return None
    found = count(query)
    best, best_count = None, found
    improved = []  # the best fix of each mistyped word, to be combined
    tries = MAX_TRIES  # each try is a search: a query of 500 kanji must not make 1,500
    for start, end, replacements in fixes:
        # the nearest correction that finds more: each one tried is a search
        for word in replacements[:max(tries, 0)]:
            tries -= 1
            text = query[:start] + word + query[end:]
            n = count(text)
            if n > best_count:
                best, best_count = text, n
            if n > found:
                improved.append((n, start, end, word))
                break
    if len(improved) > 1:  # several slips in one query: fix them all at once
        text = query
        for _, start, end, word in sorted(improved, key=lambda f: -f[1]):
            text = text[:start] + word + text[end:]
        n = count(text)
        if n > 0 and n >= best_count:
            best, best_count = text, n
    return best if best_count > found and best_count > 0 else None
