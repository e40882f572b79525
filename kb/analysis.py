"""Japanese analysis for whoosh: a fugashi tokenizer and small token filters.

A tokenizer turns text into tokens, filters turn tokens into tokens; they are
composed with ``|``, tokenizer first, as in ``whoosh.analysis``. The factory
functions at the bottom are stored (by import path) in every index's schema,
so their names and module must stay put.
"""

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import CompositeAnalyzer, Filter, Token, Tokenizer

from kb.glosses import MARK, split_gloss
# LATIN_WORD and LATIN_CONNECTOR are imported from here too
from kb.latin import LATIN_CONNECTOR, LATIN_TAG, LATIN_WORD, LatinForms
from kb.transliteration import VOICELESS, fold_romaji, kana_key, voiceless_key

KATAKANA_RUN = re.compile(r"[ァ-ヺー・ｦ-ﾟ]{2,}")
# Fragments shorter than three characters match far too much (ログ: ブログ,
# プログラム), so neither queries nor the index bigram shorter runs.
MIN_FRAGMENT = 3
# MeCab crashes the whole process (a segmentation fault) on a text of a couple
# of megabytes, as a note pasted from a log can be, and slows down more than
# linearly on long runs of letters: it is fed pieces this long at most, cut at
# line ends where there are any.
MECAB_PIECE = 4000
# fugashi cannot encode lone surrogates (a command line of invalid UTF-8 has them)
SURROGATE = re.compile("[\ud800-\udfff]")
FRAGMENT_RUN = re.compile(r"[ァ-ヺー・ｦ-ﾟ]{%d,}" % MIN_FRAGMENT)
ONE_KANA = re.compile(r"[ぁ-ゖァ-ヺ]")

# Parts of speech that carry no meaning of their own (UniDic pos1).
FUNCTION_POS = ("助詞", "助動詞")
# Symbols and blanks are dropped unless they hold a letter or a digit: UniDic
# tags Greek letters (α, アルファ) and some rare kanji of names (九, 𠮷) as symbols.
SYMBOL_POS = ("補助記号", "記号", "空白")
# What is dropped, symbols that are letters apart: is_stop() tells exactly.
STOP_POS = FUNCTION_POS + SYMBOL_POS
# Light verbs and formal nouns, matched on the lemma: する, いる, ある, なる, こと.
STOP_LEMMAS = frozenset({"為る", "居る", "有る", "在る", "成る", "事", "此の", "其の"})
# Honorifics (lemmas) that follow a name and never constrain: 佐藤さん is 佐藤.
HONORIFICS = frozenset({"さん", "氏", "様", "君", "ちゃん", "先生", "殿"})
NAME_TAGS = ("名詞,固有名詞", LATIN_TAG)

# MeCab's output of a text as one string, a line a word: its surface, its tag
# (UniDic pos1,pos2), its lemma and its reading, apart by tabs (no surface holds
# one: MeCab skips them as blanks); an unknown word's lemma is its surface and
# it has no reading. MeCab writes what these pick out of the features, so Python
# splits no feature string (that was as dear as MeCab itself), and a line read
# once is remembered whole: most words of a text were seen before. %f[N] leaves
# out a feature that is "*": of these, only pos2 is one in UniDic (the tag gets
# its "*" back). The end line stands after the last word, whose empty reading
# fugashi would otherwise strip.
PARSE_FORMAT = ("-O '' -F '%m\\t%f[0],%f[1]\\t%f[7]\\t%f[6]\\n' "
                "-U '%m\\t%f[0],%f[1]\\t%m\\t\\n' -E 'EOS\\n'")
# UniDic's lemma column (unidic-lite has 26 features; unknown words have 6).
F_LEMMA = 7


def _has_alnum(text):
    return text.isalnum() if len(text) == 1 else any(c.isalnum() for c in text)


def is_stop(tag, lemma, surface) -> bool:
    """Whether a word is left out of the index: particles, punctuation, light verbs."""
    if tag.startswith(FUNCTION_POS):
        return True
    if tag.startswith(SYMBOL_POS):
        return not _has_alnum(surface)
    return lemma in STOP_LEMMAS


def indexed_morphemes(morphemes) -> list[tuple]:
    """The morphemes (see :meth:`JapaneseTokenizer.morphemes`) of the words the index keeps."""
    return [m for m in morphemes if not is_stop(m[3], m[4], m[2])]


def normalize(text) -> str:
    """Fold width and case the way every indexed term is folded."""
    return unicodedata.normalize("NFKC", text).lower()


def split_features(raw) -> list[str]:
    """The first fields of a MeCab feature string, up to the lemma; the rest unsplit.

    Quoted fields only occur for rare symbols.
    """
    if '"' not in raw:
        return raw.split(",", F_LEMMA + 1)  # 26 fields: splitting all cost 2 µs a word
    import csv

    return next(csv.reader([raw]))


def strip_gloss(lemma) -> str:
    """UniDic glosses loanword lemmas in English (データ-data): drop the gloss."""
    return split_gloss(lemma)[0]


class JapaneseTokenizer(Tokenizer):
    """Tokenize with fugashi + unidic-lite, keeping Latin words whole.

    Each token carries ``tag`` (UniDic pos1,pos2), ``lemma``, ``gloss`` (the
    English source of a loanword, or '') and ``reading`` besides whoosh's
    text/pos/startchar/endchar. Character offsets point into the original
    text, so highlights line up with what the reader wrote. :meth:`morphemes`
    gives UniDic's lemma whole, gloss included.
    """

    CACHE_SIZE = 32
    BOUNDS_SIZE = 8
    LINES_SIZE = 50_000  # MeCab's lines remembered as words: a few MB

    def __init__(self) -> None:
        self._tagger = None
        # The indexer analyses a session's text to find its topics and whoosh
        # analyses it again to index it: remember the last few texts' words.
        self._cache = {}
        self._lines = {}  # MeCab's output line -> (surface, tag, lemma, reading), or ()
        self._bounds = {}  # text -> its words' bounds, as the analyzer's pass found them

    def __getstate__(self) -> dict[str, Any]:
        # fugashi's Tagger cannot be pickled, and whoosh pickles the schema.
        return {}

    def __setstate__(self, state) -> None:
        type(self).__init__(self)

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    @property
    def tagger(self) -> Any:
        if self._tagger is None:
            import fugashi

            self._tagger = fugashi.Tagger(PARSE_FORMAT)
        return self._tagger

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs) -> Iterator[Token]:
        if not isinstance(value, str):
            raise TypeError(f"{value!r} is not a str")
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.lemma, t.tag, t.reading, t.gloss, t.boost = value, "", "", "", 1.0
            t.pos, t.startchar, t.endchar = start_pos, start_char, start_char + len(value)
            yield t
            return
        pos = start_pos
        for start, end, text, tag, lemma, reading in self.morphemes(value):
            t.text = text
            if keeporiginal:
                t.original = text
            if "-" in lemma:
                t.lemma, t.gloss = split_gloss(lemma)
            else:
                t.lemma, t.gloss = lemma, ""
            t.tag, t.reading = tag, reading
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            pos += 1
            yield t

    def morphemes(self, text) -> list[tuple]:
        """(start, end, surface, tag, lemma, reading) of every word, remembered for a while."""
        cache = self._cache
        found = cache.pop(text, None)
        if found is None:
            found = self._morphemes(text)
            if len(cache) >= self.CACHE_SIZE:
                del cache[next(iter(cache))]
        cache[text] = found  # most recently used last
        return found

    def bounds(self, text) -> list[int]:
        """Start and end of each word of ``text`` the index keeps (see
        :func:`indexed_morphemes`), one after the other.

        The analyzer's pass over a text finds them as it goes (see
        :meth:`keep_bounds`): they are taken from there where it made one.
        """
        found = self._bounds.get(text)
        if found is None:
            found = [at for start, end, *_ in indexed_morphemes(self.morphemes(text))
                     for at in (start, end)]
        return found

    def keep_bounds(self, text, bounds) -> None:
        """Remember the :meth:`bounds` of ``text`` as a pass over its words found them."""
        kept = self._bounds
        kept.pop(text, None)
        if len(kept) >= self.BOUNDS_SIZE:
            del kept[next(iter(kept))]
        kept[text] = bounds  # most recently kept last

    def lines(self, text) -> list[str] | Iterator[str]:
        """MeCab's output lines of ``text`` (see PARSE_FORMAT), tagged in pieces of at most
        MECAB_PIECE characters; the end line of each piece among them.

        Whitespace before a word, and between pieces, belongs to no word: a
        reader finds the next word past it as it does past characters MeCab
        drops.
        """
        text = SURROGATE.sub("\ufffd", text)  # same length: offsets stay
        if len(text) <= MECAB_PIECE:  # most texts: no generator between MeCab and its reader
            return self.tagger.parse(text).split("\n")
        return self._pieces(text)

    def _pieces(self, text):
        """MeCab's output lines of a long text, one piece parsed at a time (see ``lines``)."""
        parse = self.tagger.parse
        start = 0
        while len(text) - start > MECAB_PIECE:
            cut = text.rfind("\n", start, start + MECAB_PIECE) + 1
            end = cut if cut > start else start + MECAB_PIECE
            yield from parse(text[start:end]).split("\n")
            start = end
        yield from parse(text[start:]).split("\n")

    def _morphemes(self, text):
        latin = latin_spans(text)
        li, nl = 0, len(latin)
        cursor, emitted = 0, -1  # emitted: the last Latin word given
        startswith, find = text.startswith, text.find
        lines = self._lines
        if len(lines) >= self.LINES_SIZE:
            lines.clear()
        found: list[tuple] = []
        add = found.append
        for line in self.lines(text):
            word = lines.get(line)
            if word is None:
                word = lines[line] = mecab_word(line)
            if not word:  # the end line
                continue
            surface, tag, lemma, reading = word
            # a word starts past the whitespace MeCab skips, which no word starts with
            if startswith(surface, cursor):
                start = cursor
            else:  # whitespace, or characters MeCab dropped or altered: find the word ahead
                start = find(surface, cursor)
                if start < 0:
                    continue
            end = start + len(surface)
            cursor = end
            if li < nl:
                while li < nl and latin[li][1] <= start:
                    li += 1
                if li < nl and latin[li][0] < end:
                    emitted = latin_words(text, latin, li, end, emitted, add)
                    continue
            add((start, end, surface, tag, lemma, reading))
        return found


def latin_spans(text) -> list[tuple[int, int]]:
    """(start, end) of each Latin word of ``text`` (see :mod:`kb.latin`)."""
    return [m.span() for m in LATIN_WORD.finditer(text)]


def latin_words(text, latin, first, end, emitted, add) -> int:
    """Add the morphemes of a word of MeCab's, ending at ``end``, that holds or crosses
    the Latin words ``latin[first:]`` (spans in ``text``); give the index of the last
    Latin word added.

    Those words are given each once (``emitted``: the last given before), whole:
    MeCab keeps Python×AI or TensorFlow／PyTorch in one word and cuts C++ in two.
    """
    j, inside, count = first, False, len(latin)
    while j < count and latin[j][0] < end:
        if j > emitted:
            lstart, lend = latin[j]
            if inside:  # what stands between two words of a node keeps them apart
                gap_start = latin[emitted][1]
                gap = text[gap_start:lstart]
                add((gap_start, lstart, gap, "補助記号,一般", gap, ""))
            latin_word = text[lstart:lend]
            add((lstart, lend, latin_word, LATIN_TAG, latin_word, ""))
            emitted, inside = j, True
        j += 1
    return emitted


def mecab_word(line) -> tuple[str, ...]:
    """(surface, tag, lemma, reading) of a line of MeCab's output in PARSE_FORMAT; () for
    the end line."""
    fields = line.split("\t")
    if len(fields) != 4:
        return ()
    surface, tag, lemma, reading = fields
    if tag[-1] == ",":  # pos2 "*", which %f[1] leaves out
        tag += "*"
    return surface, tag, lemma, reading


class PosStopFilter(Filter):
    """Drop particles, auxiliaries, punctuation, light verbs and honorifics (or mark them stopped).

    Symbols that hold a letter or a digit stay: see :func:`is_stop`. さん, 氏,
    様, くん, ちゃん (UniDic's suffixes) and 先生 after a name are dropped, so
    佐藤さん is indexed, and looked for, as 佐藤.
    """

    honorifics = HONORIFICS  # (class default for instances pickled without it)

    def __init__(self, stop_pos=FUNCTION_POS, stop_lemmas=STOP_LEMMAS, honorifics=HONORIFICS) -> None:
        self.stop_pos = tuple(stop_pos)
        self.stop_lemmas = frozenset(stop_lemmas)
        self.honorifics = frozenset(honorifics)

    def __call__(self, tokens) -> Iterator[Token]:
        previous = ""
        for t in tokens:
            tag = t.tag
            if tag.startswith(self.stop_pos) or t.lemma in self.stop_lemmas or (
                    tag.startswith(SYMBOL_POS) and not _has_alnum(t.text)) or (
                    t.lemma in self.honorifics
                    and (tag.startswith("接尾辞") or previous.startswith(NAME_TAGS))):
                previous = tag
                if t.removestops:
                    continue
                t.stopped = True
            else:
                previous = tag
            yield t


class NormalizeFilter(Filter):
    """NFKC width folding and lower-casing of each token's text and lemma."""

    def __call__(self, tokens) -> Iterator[Token]:
        for t in tokens:
            text, lemma = t.text, t.lemma
            t.text = normalize(text)
            t.lemma = t.text if lemma == text else normalize(lemma)
            yield t


class LemmaFilter(Filter):
    """Index the UniDic lemma so spelling variants and inflections meet.

    Proper nouns keep their surface (their lemma is a katakana reading that
    other names share). When ``surface`` is true the surface form is emitted
    too, at the same position: lemmas depend on context, surfaces do not.
    With ``glosses``, each loanword's English gloss is also given at index
    time, marked, once per text (see :mod:`kb.glosses`); a gloss of one kana
    (ル-le) comes from a word cut in pieces and is left out.
    """

    glosses = False  # (class default for instances pickled without it)

    def __init__(self, surface=True, glosses=False) -> None:
        self.surface = surface
        self.glosses = glosses

    def __call__(self, tokens) -> Iterator[Token]:
        seen = set()
        for t in tokens:
            if t.tag.startswith("名詞,固有名詞") or t.tag == LATIN_TAG:
                yield t
            else:
                surface = t.text
                if self.surface and surface != t.lemma and t.mode != "query":
                    yield t
                t.text = t.lemma
                yield t
            gloss = self.glosses and t.gloss
            if gloss and gloss not in seen and t.mode != "query" and not (
                    len(t.lemma) == 1 and ONE_KANA.match(t.lemma)):
                seen.add(gloss)
                text = t.text
                t.text = MARK + gloss
                yield t
                t.text = text


class KatakanaBigramTokenizer(Tokenizer):
    """Character bigrams of katakana runs (indexes before schema 6 pickled it; kept to read them).

    Parts of words are now found in the index's own word list at search time
    (see kb.vocabulary.Vocabulary.containing) instead of in bigram postings.

    A fragment such as アノテ then still finds アノテーション. Runs are kept
    apart by a gap in positions so that a phrase never spans two runs.
    """

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for m in FRAGMENT_RUN.finditer(value):
            run = unicodedata.normalize("NFKC", m.group(0))
            offset = m.start()
            for i in range(len(run) - 1):
                t.text = run[i:i + 2]
                t.boost, t.stopped = 1.0, False
                if keeporiginal:
                    t.original = t.text
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + offset + i
                    t.endchar = start_char + offset + i + 2
                pos += 1
                yield t
            pos += 2


class RememberingAnalyzer(CompositeAnalyzer):
    """A pipeline that remembers the terms it gave for its last few texts.

    The indexer analyses a session to find its topics and whoosh analyses the
    same text again to index it, and every session of an event repeats its
    intro: replaying the remembered terms halves the cost of indexing. Only
    the usual calls are remembered, and only terms, positions and offsets.
    """

    MEMO_SIZE = 32

    def __init__(self, *composables) -> None:
        super().__init__(*composables)
        self._memo = {}
        self._plans = {}  # what the chain makes of each distinct word (see kb.onepass)
        # (items, whether they are the chain kb.onepass follows)
        self._chain: tuple[Any, bool] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"items": self.items}

    def __setstate__(self, state) -> None:
        self.items = state["items"]
        self._memo = {}
        self._plans = {}
        self._chain = None

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs) -> Iterator[Token]:
        kwargs.pop("boosts", None)  # whoosh asks for boosts; ours are always 1.0
        if keeporiginal or not removestops or start_pos or start_char or not tokenize or kwargs:
            return super().__call__(value, positions=positions, chars=chars,
                                    keeporiginal=keeporiginal, removestops=removestops,
                                    start_pos=start_pos, start_char=start_char,
                                    tokenize=tokenize, mode=mode, **kwargs)
        return self._replay(self.terms(value, positions, chars, mode), positions, chars, mode)

    def terms(self, value, positions=False, chars=False, mode="") -> list[tuple]:
        """(text, boost, pos, startchar, endchar) of each term of ``value``, remembered.

        What a call with these arguments yields, without a token object per term
        (pos is 0 without ``positions``, the characters 0 without ``chars``).
        """
        key = (value, positions, chars, mode)
        memo = self._memo
        terms = memo.pop(key, None)
        if terms is None:
            terms = self._terms(value, positions, chars, mode)
            if len(memo) >= self.MEMO_SIZE:
                del memo[next(iter(memo))]
        memo[key] = terms  # most recently used last
        return terms

    def positions(self, value) -> dict[str, list[int]] | None:
        """Each term of ``value`` (analysed for the index) with its positions, in the order
        of their first occurrence, remembered; None if a term's boost is not 1.

        Tagging, key terms and indexing each group a text's terms by word: grouped
        once here, each reads the groups.
        """
        key = (value, "positions")
        memo = self._memo
        found = memo.pop(key, False)
        if found is False:
            found = self._positions(value)
            if len(memo) >= self.MEMO_SIZE:
                del memo[next(iter(memo))]
        memo[key] = found  # most recently used last
        return found

    def _positions(self, value):
        from kb import onepass  # (it reads this module's names)

        if self._is_plain():  # the usual chain, without a tuple per term
            found, bounds = onepass.scan(self.items, value, self._plans)
            self.items[0].keep_bounds(value, bounds)  # for the snippets' word bounds
            return found
        found = {}
        for text, boost, pos, _, _ in self.terms(value, positions=True, mode="index"):
            if boost != 1.0:
                return None
            held = found.get(text)
            if held is None:
                found[text] = [pos]
            else:
                held.append(pos)
        return found

    def _is_plain(self):
        """Whether this is the usual chain, which :mod:`kb.onepass` follows (asked once)."""
        chain = self._chain
        if chain is None or chain[0] is not self.items:
            from kb import onepass  # (it reads this module's names)

            chain = self._chain = (self.items, onepass.is_plain_chain(self.items))
        return chain[1]

    def _terms(self, value, positions, chars, mode):
        from kb import onepass  # (it reads this module's names)

        if self._is_plain():  # the usual chain, without its plumbing
            return onepass.terms(self.items, value, positions, chars, mode, self._plans)
        return [(t.text, t.boost, t.pos if positions else 0,
                 t.startchar if chars else 0, t.endchar if chars else 0)
                for t in super().__call__(value, positions=positions, chars=chars, mode=mode)]

    @staticmethod
    def _replay(terms, positions, chars, mode):
        t = Token(positions, chars, removestops=True, mode=mode)
        for t.text, t.boost, t.pos, t.startchar, t.endchar in terms:
            yield t


def JapaneseAnalyzer() -> RememberingAnalyzer:
    """The analyzer of every Japanese text field: words as lemmas, surfaces beside."""
    return RememberingAnalyzer(JapaneseTokenizer(), PosStopFilter(), LatinFilter(),
                               NormalizeFilter(), LemmaFilter(glosses=True))


def QueryAnalyzer() -> CompositeAnalyzer:
    """How query words are analysed: as the index analyses text, without what only the index adds.

    Run in index mode, it gives a word's surface and lemma at one position.
    """
    return (JapaneseTokenizer() | PosStopFilter() | LatinFilter(extras=False) | NormalizeFilter()
            | LemmaFilter())


def FragmentAnalyzer() -> KatakanaBigramTokenizer:
    """Katakana bigrams: the fragment view of titles and bodies in indexes before schema 6."""
    return KatakanaBigramTokenizer()


class LatinFilter(Filter):
    """Latin words as their other written forms meet them (see :mod:`kb.latin`).

    Letters and digits written together take a position each (Go1.21 -> go,
    1.21; the words after move on), plurals fold to the singular, and, at
    index time only, a word joined by connectors also gives its parts at its
    position (de:code -> de, code) and two capitalised words in a row also
    give themselves joined (Spring Boot -> springboot).
    """

    extras = True  # (class default for instances pickled without it)

    def __init__(self, extras=True) -> None:
        self.extras = extras
        self.forms = LatinForms()

    def __call__(self, tokens) -> Iterator[Token]:
        shift, previous = 0, None  # positions added so far; (pos, word) that may join the next
        for t in tokens:
            if shift and t.positions:
                t.pos += shift
            if t.tag != LATIN_TAG:
                previous = None
                yield t
                continue
            extras = self.extras and t.mode != "query"
            found, join = self.forms.of(t.text)
            pos, start = (t.pos if t.positions else 0), (t.startchar if t.chars else 0)
            for i, (offset, length, term, parts) in enumerate(found):
                t.text = term
                if t.positions:
                    t.pos = pos + i
                if t.chars:
                    t.startchar, t.endchar = start + offset, start + offset + length
                yield t
                if extras:
                    for t.text in parts:
                        yield t
            shift += len(found) - 1
            if not (extras and join and t.positions):
                previous = None
                continue
            if previous is not None and previous[0] == t.pos - 1:
                t.text = previous[1] + join
                yield t
            previous = (t.pos, join)


# -- speakers' names -----------------------------------------------------------

NAME_GAP = 10  # positions between two names, so that no phrase spans both
KANA_NAME = re.compile(r"[ぁ-ゖァ-ヺー]+")


class NameListTokenizer(JapaneseTokenizer):
    """The Japanese tokenizer over one name per line, the lines kept apart.

    Each token carries ``line``, the number of its line.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs) -> Iterator[Token]:
        pos, char = start_pos, start_char
        for line_number, line in enumerate(value.split("\n")):
            count = 0
            # a name written in kana reads as written, particles and all: てらだよしお is
            # terada yoshio, though MeCab takes its だ for a copula
            kana = "".join(line.split())
            kana = kana if KANA_NAME.fullmatch(kana) else ""
            for t in super().__call__(line, positions, chars, keeporiginal, removestops,
                                      pos, char, tokenize, mode, **kwargs):
                t.line = line_number
                t.kana = kana
                count += 1
                yield t
            pos += count + NAME_GAP
            char += len(line) + 1


class NameKeyFilter(Filter):
    """At index time, give each word of a name its romanisation key and gloss beside it.

    Each name (a line) also gives its whole key at its first position.
    """

    def __call__(self, tokens) -> Iterator[Token]:
        line, first, keys, soft, last_pos, kana = None, 0, [], [], None, ""
        for t in tokens:
            if t.mode == "query" or not t.positions:
                yield t
                continue
            if t.line != line:
                yield from self._whole(t, first, keys, soft, kana)
                line, first, keys, soft, last_pos = t.line, t.pos, [], [], None
                kana = getattr(t, "kana", "")
            yield t
            if t.pos == last_pos:  # a lemma beside its surface: one key per word
                continue
            last_pos = t.pos
            key, voiceless = self._keys(t)
            keys.append(key)
            soft.append(voiceless)
            text = t.text
            for extra in dict.fromkeys((key, voiceless and VOICELESS + voiceless, t.gloss)):
                if extra and extra != text:
                    t.text = extra
                    yield t
            t.text = text
        if line is not None:
            yield from self._whole(t, first, keys, soft, kana)

    @staticmethod
    def _keys(t):
        """(key, voiceless key or '') of a word of a name."""
        if t.tag == LATIN_TAG:
            return fold_romaji(t.text), ""
        reading = t.reading or (t.text if KANA_NAME.fullmatch(t.text) else "")
        if not reading:
            return "", ""
        return kana_key(reading), voiceless_key(reading)

    @staticmethod
    def _whole(t, first, keys, soft, kana):
        if len([k for k in keys if k]) < 2:
            return
        whole = kana_key(kana) if kana else "".join(keys)
        voiceless = voiceless_key(kana) if kana else "".join(soft)
        text, pos = t.text, t.pos
        t.pos = first
        for t.text in (whole, VOICELESS + voiceless if kana or all(soft) else ""):
            if t.text:
                yield t
        t.text, t.pos = text, pos


def SpeakerAnalyzer() -> RememberingAnalyzer:
    """The analyzer of speaker names: words as in text, and their romanisation keys."""
    return RememberingAnalyzer(NameListTokenizer(), PosStopFilter(), LatinFilter(),
                               NormalizeFilter(), LemmaFilter(), NameKeyFilter())


# An index written before LatinFilter unpickles its old filter under this name.
LatinPartsFilter = LatinFilter
