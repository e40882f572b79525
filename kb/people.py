"""People: speakers named in session titles, and names found in any script.

A speaker's name is indexed as written and, beside each word of it, as a
romanisation key: its UniDic reading in Hepburn romaji (jaconv's table), with
long vowels and the spellings of ん folded, so that 佐藤, さとう, Sato, Satou
and Satoh meet (key ``sato``). A name written in Latin letters gets the same
key, and katakana names their English gloss (ピーター -> peter). Each name
also gives its whole key (佐藤一郎 -> satoichiro) for a name typed unspaced.
"""

import re
import unicodedata

import jaconv
from kb.analysis import HONORIFICS, LATIN_TAG, split_features
from kb.transliteration import fold_romaji, kana_key

KANA = re.compile(r"[ぁ-ゖァ-ヺー]+")
HANDLE = re.compile(r"@?[A-Za-z][A-Za-z0-9_.\-]*")
SPEAKER_LINE = re.compile(r"^[ \t>*+\-・]*(?:登壇者|発表者|講演者|スピーカー|講師|speakers?|presenters?)"
                          r"[ \t]*[:：][ \t]*(.+)$", re.I | re.M)
SEVERAL_ON_A_LINE = re.compile(r"[、,／/]| と |＆|&")
HANDLE_MENTION = re.compile(r"@([A-Za-z0-9_]{2,30})")
BRACKETED = re.compile(r"[(（\[［]")
HONORIFIC_TAIL = re.compile(r"\s*(?:さん|氏|様|先生|くん|ちゃん)(?:\s.*)?$")
MAX_NAME = 30  # longer is a sentence, not a name
# a whole run of one script before 氏/さん/先生による: kanji (2-6), kana, or Latin words
GIVEN_BY = re.compile(r"((?<![一-龥々])[一-龥々]{2,6}|(?<![ぁ-ゖ])[ぁ-ゖ]{3,10}|(?<![ァ-ヺー])[ァ-ヺー]{2,10}"
                      r"|(?<![A-Za-z0-9_.])[A-Za-z][A-Za-z0-9_.\-]*(?: [A-Z][A-Za-z.\-]*){0,2})"
                      r"\s?(?:氏|さん|先生)による")
GIVEN_BY_END = re.compile(r"(?:氏|さん|先生)による")  # how every match of GIVEN_BY ends
LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z'’.\-]*(?:\s+[A-Za-z][A-Za-z'’.\-]*)*")

# -- romanisation ------------------------------------------------------------


def name_key(text, tokenizer=None) -> tuple[str, bool]:
    """The key a query word looks a speaker up by, and whether it was written by sound.

    Kana and Latin letters give their key (さとう, Sato -> sato, True). With a
    ``tokenizer``, a name in kanji gives the key of its UniDic reading
    (佐藤 -> sato, False): a guess, as other names read the same.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if KANA.fullmatch(text):
        return kana_key(text), True
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if LATIN_NAME.fullmatch(bare):  # Satō too
        return fold_romaji(bare), True
    kana = name_reading(text, tokenizer)
    return (kana_key(kana) if kana else ""), False


def name_reading(text, tokenizer=None) -> str:
    """The kana a name typed in kana or kanji reads as ('' for others): what
    :func:`~kb.transliteration.voiceless_key` keys a name by."""
    text = unicodedata.normalize("NFKC", text).strip()
    if KANA.fullmatch(text):
        return text
    readings = []
    for _, _, _, tag, lemma, reading in (tokenizer.morphemes(text) if tokenizer else ()):
        if lemma in HONORIFICS:
            continue
        if not tag.startswith("名詞,固有名詞") or not reading:
            return ""
        readings.append(reading)
    return "".join(readings)


# -- speakers named in titles ------------------------------------------------

# A dash after a space or a closing bracket: 「…」 - 佐藤 一郎氏, … ― Peter Wang, …」ー松田直樹
SEPARATOR = re.compile(r"(?:(?<=\s)|(?<=[」』）)\]】”\"]))[-‐‑–—―－ー─]+")
QUOTES = re.compile(r"[「」『』【】“”\"]")
CLOSING = tuple("」』”\"】")
TITLE_PREFIX = re.compile(r"^(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+", re.I)
HONORIFIC_SUFFIX = re.compile(r"\s*(?:氏|さん|様|先生|くん|君|ちゃん)$")
PARENTHESES = re.compile(r"\s*[（(]([^（）()]*)[）)]$")
SEVERAL = re.compile(r"\s*[、,，＆&／/]\s*|\s+and\s+")
ENGLISH_LINKS = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or",
                           "the", "to", "with", "vs"})
# Hepburn syllables, with the long o of Satoh and Ohno, the ん of Namba and doubled consonants
ROMAJI = re.compile(r"(?:(?:[kgsztdnhbpmrfj]y|sh|ch|ts|[kgsztdnhbpmyrwfj])?[aeiou]|n|m(?=[bp])"
                    r"|(?<=o)h(?![aeiou])|[kstpgdbcmh](?=[kstpgdbcmhj]))+")
MAX_NAME = 20  # characters: longer is a subtitle
NAME_POS = ("名詞", "接尾辞", "記号", "接頭辞")


def title_speakers(title, tokenizer) -> tuple[str, ...]:
    """Names written after a dash at the end of a title, as speakers: ("佐藤 一郎",).

    A subtitle is told from a name by UniDic's 人名 tag (or an honorific
    such as 氏), and for Latin letters by the shape of a name: two or three
    words that read as romanised Japanese, or any after a quoted title
    (「…」 ― Peter Wang) or with Mr., Dr. or 氏.
    """
    found = None
    for found in SEPARATOR.finditer(title):
        pass
    if found is None:
        return ()
    head, tail = title[:found.start()].strip(), title[found.end():].strip()
    if not head or not tail or QUOTES.search(tail):
        return ()
    quoted = head.endswith(CLOSING)
    names = []
    for part in SEVERAL.split(tail):
        names += _names(part, quoted, tokenizer)
    return tuple(dict.fromkeys(names))


def line_speakers(text) -> tuple[str, ...]:
    """Names given on a 登壇者: (発表者, 講演者, スピーカー, 講師, Speaker) line of a session's notes.

    "登壇者 : 寺田 佳央 ( @yoshioterada ) さん 日本マイクロソフト" gives the name
    and the handle in brackets: 寺田 佳央, yoshioterada. Notes of talks write
    their speaker this way far more often than in a field of their own.
    """
    names = []
    for line in SPEAKER_LINE.finditer(text):
        for part in SEVERAL_ON_A_LINE.split(line.group(1)):
            for handle in HANDLE_MENTION.findall(part):
                names.append(handle)
            name = BRACKETED.split(HANDLE_MENTION.sub(" ", part))[0]
            name = HONORIFIC_TAIL.sub("", " ".join(name.split()))
            if 0 < len(name) <= MAX_NAME:
                names.append(name)
    return tuple(dict.fromkeys(names))


def mentioned_speakers(text) -> tuple[str, ...]:
    """Names the notes give a talk to: 末田卓巳氏による発表, Cory Althoff氏による講演,
    てらだよしおさんによる「…」 (a report of a talk says who gave it this way)."""
    if not GIVEN_BY_END.search(text):  # every match ends so: most notes are not scanned at all
        return ()
    return tuple(dict.fromkeys(m.group(1) for m in GIVEN_BY.finditer(text)))


def _names(text, quoted, tokenizer):
    """The names in one part of a title's tail (a name, maybe with another in brackets)."""
    found = []
    inner = PARENTHESES.search(text)
    if inner:
        text = text[:inner.start()]
        found += _names(inner.group(1), quoted, tokenizer)
    polite = False
    for pattern in (HONORIFIC_SUFFIX, TITLE_PREFIX):
        text, count = pattern.subn("", text.strip())
        polite = polite or bool(count)
    text = text.strip()
    if text and len(text) <= MAX_NAME and (_latin_name(text, quoted, polite)
                                           or _japanese_name(text, polite, tokenizer)):
        found.insert(0, text)
    return found


def _latin_name(text, quoted, polite):
    if (quoted or polite) and HANDLE.fullmatch(text):  # 「…」 - yuzutas0
        return True
    if not LATIN_NAME.fullmatch(text):
        return False
    words = text.split()
    if any(w.lower() in ENGLISH_LINKS for w in words) or len(words) > 4:
        return False
    if polite:
        return True
    if len(words) < 2 or len(words) > 3:
        return False
    if all(ROMAJI.fullmatch(w.lower()) for w in words):
        return True
    return quoted and all(w[0].isupper() for w in words)


def _japanese_name(text, polite, tokenizer):
    """Nouns only, one of them a person's name by UniDic (or the name was given an honorific)."""
    person = False
    for node in tokenizer.tagger(unicodedata.normalize("NFKC", text)):
        f = split_features(node.feature_raw)
        if f[0] == "補助記号" and node.surface in ("・", "･"):
            continue
        if f[0] not in NAME_POS:
            return False
        person = person or (len(f) > 2 and f[2] == "人名")
    return person or polite
