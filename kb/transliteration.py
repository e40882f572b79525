"""Words that cross scripts: katakana loanwords and their English, kana and romaji.

Notes write a word as the speaker's slides did: Coroutines in one note,
コルーチン in the next; a speaker signs Takumi Sueda and a reader types すえだ.
UniDic glosses the loanwords it knows (see kb.analysis); for the rest this
module compares sounds. :func:`romaji` spells kana in Hepburn letters, and
:func:`sound_key` reduces a katakana word or an English word to the
consonants a Japanese ear keeps of it (コルーチン and coroutine both give
``krtn``), so that each can find the other among the index's words. Short keys
match too much; their vowels must agree too (:func:`close_forms`).
"""

from __future__ import annotations

import re
import unicodedata

import jaconv
from rapidfuzz.distance import Levenshtein

_DIGRAPHS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho",
    "シェ": "she", "チャ": "cha", "チュ": "chu", "チョ": "cho", "チェ": "che", "ニャ": "nya",
    "ニュ": "nyu", "ニョ": "nyo", "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya",
    "ミュ": "myu", "ミョ": "myo", "リャ": "rya", "リュ": "ryu", "リョ": "ryo", "ギャ": "gya",
    "ギュ": "gyu", "ギョ": "gyo", "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ジェ": "je",
    "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo",
    "ティ": "ti", "ディ": "di", "トゥ": "tu", "ドゥ": "du", "テュ": "tyu", "デュ": "dyu",
    "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "フュ": "fyu", "ウィ": "wi",
    "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo",
    "ツァ": "tsa", "ツィ": "tsi", "ツェ": "tse", "ツォ": "tso", "クァ": "kwa", "グァ": "gwa",
}
_SINGLE = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョヮ",
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de do "
    "ba bi bu be bo pa pi pu pe po vu a i u e o ya yu yo wa".split()))
KANA_WORD = re.compile(r"[ぁ-ゖァ-ヺー]+")
# Spellings are rewritten by the patterns below, compiled once: a word's sounds are
# compared with a dozen candidates' when a query is planned. Backreferences are
# replaced by functions (_first, _twice), which re expands several times faster.
_VOWEL_RUNS = re.compile(r"[aiueo]+")
_REPEATED = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")
_GREEK_CH = re.compile(r"^(te|me|ar|ps[yi]|or|an)ch|^ch(?=ara|ao|[rl])|sch")
_SOFT_C = re.compile(r"c(?=[eiy])")
_SOFT_G = re.compile(r"g(?=[eiy])")
_ER = re.compile(r"(?<=[^aeiou])[eiu]r(?![aeiouyr])")
_VOWEL_R = re.compile(r"(?<=[aeiou])r(?![aeiouy])")
_VOWEL_W = re.compile(r"(?<=[aeiou])w(?![aeiou])")
_SILENT_E = re.compile(r"(?<=[^aeiou])e$")
_INNER_Y = re.compile(r"(?<!^)y")
_GLIDE = re.compile(r"(?<=[kgnhbpmr])y")
_LABIAL_N = re.compile(r"n(?=[pbm])")
_ADDED_VOWEL = re.compile(r"(?<=[^aeiou])[uo](?=[^aeiou]|$)")
_LONG_VOWEL = re.compile(r"([aiueo])\1+")
_CONSONANT = re.compile(r"[^aeiou]")
_DOUBLE_CONSONANT = re.compile(r"([^aeiou])\1+")
_LONG_VOWELS = re.compile(r"([aeiou])\1+")
_TWO_VOWELS = re.compile(r"([aeiou])\1")
_OH = re.compile(r"oh(?![aeiouy])")
_LABIAL_M = re.compile(r"m(?=[bmp])")
_LONG_O_U = re.compile(r"(?<=o)[ou]+|(?<=u)u+")


def _first(match: re.Match[str]) -> str:
    return match.group(1)


def _twice(match: re.Match[str]) -> str:
    return match.group(1) * 2


def _greek_k(match: re.Match[str]) -> str:
    return "sk" if match.group() == "sch" else match.group()[:-2] + "k"
SHORT_KANA = 3


def katakana(text: str) -> str:
    """Hiragana folded to katakana, width folded."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def other_kana(word: str) -> str:
    """A short word of kana alone in the other kana script (ベキ -> べき, べき -> ベキ), else ''.

    Short words are the ones written either way (べき, ベキ; もの, モノ); a
    loanword is hardly ever written in hiragana.
    """
    if not word or len(word) > SHORT_KANA or not KANA_WORD.fullmatch(word):
        return ""
    if all("ぁ" <= c <= "ゖ" or c == "ー" for c in word):
        return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in word)
    if all("ァ" <= c <= "ヶ" for c in word):  # katakana without ー: its hiragana spelling
        return "".join(chr(ord(c) - 0x60) for c in word)
    return ""


def romaji(kana: str) -> str:
    """Kana in Hepburn letters: コルーチン -> koruuchin, すえだ -> sueda."""
    kana = katakana(kana)
    out: list[str] = []
    double = False
    i = 0
    while i < len(kana):
        pair, char = kana[i:i + 2], kana[i]
        if pair in _DIGRAPHS:
            syllable, i = _DIGRAPHS[pair], i + 2
        elif char == "ッ":
            double, i = True, i + 1
            continue
        elif char == "ー":
            # a run of long-vowel marks (ーーー) follows nothing it could lengthen
            syllable, i = (out[-1][-1] if out and out[-1][-1:] in tuple("aiueo") else ""), i + 1
        else:
            syllable, i = _SINGLE.get(char, ""), i + 1
        if double and syllable:
            # Hepburn doubles ch as tch (マッチ: matchi), heard as the t of match
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double = False
        out.append(syllable)
    return "".join(out)


def _consonants(letters: str) -> str:
    """The consonants of a normalised spelling, repeats collapsed, a final g after n dropped."""
    skeleton = _REPEATED.sub(_first, _VOWEL_RUNS.sub("", letters))
    return skeleton[:-1] if skeleton.endswith("ng") else skeleton


def _from_english(word: str, keep_r: bool = False) -> str:
    """An English spelling written roughly as katakana would spell its sound; with
    ``keep_r``, an r after a vowel is heard (tensor: テンソル, as server is サーバー)."""
    w = _NOT_LETTER.sub("", word.lower())
    # ch of Greek words is a k (architecture, technology, schema, chrome, character)
    w = _GREEK_CH.sub(_greek_k, w)
    for old, new in (("tion", "shon"), ("sion", "shon"), ("ture", "cha"), ("ph", "f"),
                     ("gh", ""), ("ck", "k"), ("qu", "ku"), ("x", "ks"), ("wh", "w"), ("dj", "j"),
                     ("th", "s"), ("sh", "s"), ("ch", "t")):
        w = w.replace(old, new)
    w = _SOFT_C.sub("s", w)
    w = _SOFT_G.sub("j", w)
    w = w.replace("c", "k")
    if not keep_r:
        # er, ir and ur are heard as アー (server: サーバー, first: ファースト)
        w = _ER.sub("a", w)
        w = _VOWEL_R.sub("", w)  # park, peter: the r is not heard
    w = _VOWEL_W.sub("", w)  # browser: ow is a vowel
    w = _SILENT_E.sub("", w)  # a silent final e
    w = _INNER_Y.sub("i", w)
    return w.replace("v", "b").replace("l", "r").replace("z", "s")


def _from_romaji(letters: str) -> str:
    """Romaji written with the same letters as :func:`_from_english` uses."""
    # an English word that starts with a u heard as yu writes no y (usability: ユーザビリティ)
    w = "u" + letters[2:] if letters.startswith("yu") else letters
    # ウイ, ウエ, ウオ at the start are the w of English (ウインドウ: window)
    w = "w" + w[1:] if w[:1] == "u" and w[1:2] in ("i", "e", "o") else w
    w = w.replace("sh", "s").replace("ch", "t").replace("ts", "t")
    w = _GLIDE.sub("", w)  # kya -> ka: the glide is not a consonant
    w = _LABIAL_N.sub("m", w)  # ン before p, b, m is an m
    return w.replace("v", "b").replace("z", "s")


def sound_key(word: str) -> str:
    """The consonants a katakana or English word keeps in the other script (krtn)."""
    if KANA_WORD.fullmatch(katakana(word)):
        return _consonants(_from_romaji(romaji(word)))
    return _consonants(_from_english(word))


def spoken(word: str) -> str:
    """The whole normalised spelling, vowels kept, with the vowels Japanese adds dropped."""
    if KANA_WORD.fullmatch(katakana(word)):
        letters = _from_romaji(romaji(word))
        # the vowel katakana adds after a consonant: ル, ク, ト, ド
        letters = _ADDED_VOWEL.sub("", letters)
    else:
        letters = _from_english(word)
    return _LONG_VOWEL.sub(_first, letters)  # long vowels: ダーク is dark


def singular(word: str) -> str:
    """An English plural without its s (coroutines -> coroutine); other words as they are."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word.isascii():
        return word[:-1]
    return word


def sound_keys(word: str) -> tuple[str, ...]:
    """The sound keys of a word and of its singular: Jenkins ends in an s that the
    katakana spelling keeps (ジェンキンス) and that is not a plural, and the index
    keeps pandas as panda, which パンダス must find."""
    keys = [sound_key(word), sound_key(_singular(word))]
    if not KANA_WORD.fullmatch(katakana(word)):
        keys += [_consonants(_from_english(w, keep_r=True)) for w in (word, _singular(word))]
    return tuple(dict.fromkeys(k for k in keys if k))


def _singular(word: str) -> str:
    """:func:`singular`, and a loanword without a final ス or ズ (パンダス: panda)."""
    if len(word) > 3 and word[-1] in "スズ" and KANA_WORD.fullmatch(word):
        return word[:-1]
    return singular(word)


def close_forms(a: str, b: str) -> bool:
    """Whether two words of different scripts may be one word: the same sounds, and for
    short words, the same vowels too."""
    return any(_close(x, y) for x in dict.fromkeys((a, _singular(a)))
               for y in dict.fromkeys((b, _singular(b))))


def _close(a: str, b: str) -> bool:
    kana = [KANA_WORD.fullmatch(katakana(w)) is not None for w in (a, b)]
    if kana[0] == kana[1]:
        key = sound_key(a)
        return bool(key) and key == sound_key(b) and (
            len(key) > 3 or _near(spoken(a), spoken(b), 0 if len(key) < 3 else 1))
    english, loan = (a, b) if kana[1] else (b, a)
    written = _from_romaji(romaji(loan))
    key = _consonants(written)
    for letters in dict.fromkeys((_from_english(english), _from_english(english, keep_r=True))):
        if not key or _consonants(letters) != key:
            continue
        if len(key) > 3:
            return True
        # few consonants say little: the vowels must agree too, all or all but one
        if len(key) < 2:  # one consonant: the spelling must agree
            if _near(spoken(english), spoken(loan), 0):
                return True
        elif _vowel_slips(letters, written, english.lower().endswith("r")) <= (len(key) > 2):
            return True
    return False


# How katakana writes an English vowel (letters as _from_english spells them): a as
# エイ or エー (native: ネイティブ, cable: ケーブル), i as アイ (python: パイソン), u as
# ア (flutter: フラッター), o as オウ, ee and ea as イー, oo as ウー, ou as アウ, air as エア.
_VOWELS_HEARD = {"a": ("e", "ei"), "i": ("ai",), "u": ("a",), "o": ("ou",), "ai": ("ea", "e"),
                 "ee": ("i",), "ea": ("i",), "oo": ("u",), "ou": ("au", "a"), "au": ("o",)}
# the vowel katakana adds after a consonant English ends or clusters with (ルビー's
# ル is a vowel English writes; ジェンキンス's ス adds one), never before the first
# consonant; an English -er ends in ア
_ADDED = ("u", "o", "i")


def _vowel_slips(english: str, loan: str, ends_in_r: bool = False) -> int:
    """How many vowel letters differ between an English word and a loanword spelt alike
    (both as consonants with the vowels between them), beyond katakana's usual ones."""
    groups = [_CONSONANT.split(_DOUBLE_CONSONANT.sub(_first, _LONG_VOWELS.sub(_twice, w)))
              for w in (english, loan)]
    if len(groups[0]) != len(groups[1]):
        return _distance(spoken(english), spoken(loan))
    slips = 0
    last = len(groups[0]) - 1
    for i, (heard, written) in enumerate(zip(*groups)):
        written = _TWO_VOWELS.sub(_first, written)  # long vowels: ダーク is dark
        if heard == written or written in _VOWELS_HEARD.get(heard, ()) \
                or (not heard and i and (written in _ADDED or (i == last and ends_in_r
                                                                and written == "a"))):
            continue
        slips += _distance(heard, written)
    return slips


def _distance(a: str, b: str) -> int:
    """Edit distance of two short strings (rapidfuzz's Levenshtein: a long loanword's
    spelling against an English word's was a tenth of planning a query in Python)."""
    return Levenshtein.distance(a, b)


def _near(a: str, b: str, most: int) -> bool:
    """Whether two spellings are at most ``most`` edits apart (most is 0 or 1)."""
    if a == b:
        return True
    if most == 0 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def latin_spelling(kana: str) -> str:
    """A kana word as the Latin letters a name or handle would use: すえだ -> sueda."""
    return romaji(kana).replace("ou", "o").replace("uu", "u")


def fold_romaji(text) -> str:
    """A romanised name as a key: Satō, Satou, Satoh -> sato; Namba -> nanba."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if c.isascii() and c.isalpha())
    text = _OH.sub("o", text)
    text = _LABIAL_M.sub("n", text)
    return _LONG_O_U.sub("", text)


VOICING_MARKS = "\u3099\u309a"  # (han)dakuten, apart once a kana is decomposed
VOICELESS = "∽"  # marks a voiceless key in the index: never part of an analysed word


def kana_key(kana) -> str:
    """The key of a name read in kana: さとう, サトウ, サトー -> sato."""
    return fold_romaji(jaconv.kana2alphabet(jaconv.kata2hira(kana)))


def voiceless_key(kana) -> str:
    """The key of a name's kana without voicing marks: すえだ, すえた -> sueta.

    Whether a name's second part voices (末田: すえだ or すえた, 中島: なかじま
    or なかしま) is each family's, and UniDic guesses one reading.
    """
    bare = "".join(c for c in unicodedata.normalize("NFD", kana) if c not in VOICING_MARKS)
    return kana_key(unicodedata.normalize("NFC", bare))
