"""Abbreviations defined in the notes themselves: "Infrastructure as Code (IaC)".

Writers define an abbreviation once, with its long form in brackets before or
after it: ``Site Reliability Engineering (SRE)``, ``DDD（ドメイン駆動設計）``,
``オープンソースソフトウェア（OSS）``. :func:`find_abbreviations` finds such
pairs in a text so that, at search time, either form finds the other.

A Latin long form must spell its abbreviation, letter by letter in order
with the first letter starting a word (the algorithm of Schwartz & Hearst,
2003). A katakana long form must at least start with the sound the
abbreviation starts with (ドメイン… for DDD); a kanji long form is taken as
written. An abbreviation has at least two capitals and no spaces (OSS, IaC,
FaaS) and no digit, so that ``Java(JDK)`` or a name in brackets is not one.
"""

from __future__ import annotations

import re
import unicodedata

SHORT = r"[A-Z][A-Za-z&]{1,7}"
LATIN_LONG = r"[A-Za-z][A-Za-z\-]*(?:[ \-][A-Za-z][A-Za-z\-]*){1,9}"
JAPANESE_LONG = r"[\u30a0-\u30ff\u4e00-\u9fff々]{2,20}"
_JAPANESE = r"\u30a0-\u30ff\u4e00-\u9fff々"
# Each starts with one class of letters, so that a text is scanned for its letters instead
# of each alternative being tried at every character: _BEFORE is LATIN_LONG or
# JAPANESE_LONG, told apart by their first letter (the Japanese one gives no letter back:
# what follows it is never one of its letters), then the bracketed SHORT; _AFTER is SHORT
# after no letter or digit (looked behind once its capital is found), then the long form.
_BEFORE = re.compile(rf"([A-Za-z{_JAPANESE}](?:(?<=[A-Za-z])[A-Za-z\-]*(?:[ \-][A-Za-z][A-Za-z\-]*){{1,9}}"
                     rf"|(?<=[{_JAPANESE}])[{_JAPANESE}]{{1,19}}+))\s*[(（]\s*({SHORT})\s*[)）]")
_AFTER = re.compile(rf"([A-Z](?<![A-Za-z0-9][A-Z])[A-Za-z&]{{1,7}})\s*[(（]\s*({LATIN_LONG}|{JAPANESE_LONG})"
                    rf"\s*[)）、,]")
# what every match of each holds, looked for first: most notes define nothing, and
# trying the long forms at every character cost as much as the rest of a note's event
_BRACKETED_SHORT = re.compile(rf"[(（]\s*{SHORT}\s*[)）]")
_SHORT_BEFORE_BRACKET = re.compile(rf"{SHORT}\s*[(（]")
_KATAKANA = re.compile(r"[\u30a0-\u30ff]")
# the Latin letters a katakana long form may start with, by its first kana's row
_ROWS = {
    "aァアャヤ": "ay", "iィイ": "ie", "uゥウュユヴ": "uyvw", "eェエ": "ea", "oォオョヨ": "oy",
    "カキクケコガギグゲゴ": "kcgqx", "サシスセソザジズゼゾ": "sczjtx", "タチツテトダヂヅデド": "tdc",
    "ナニヌネノ": "nk", "ハヒフヘホバビブベボパピプペポ": "hfbvpw", "マミムメモ": "m",
    "ラリルレロ": "rl", "ワヲン": "wo",
}


def _capitals(short: str) -> int:
    return sum(1 for c in short if c.isupper())


def spells(short: str, long: str) -> str | None:
    """The shortest end of ``long`` that spells ``short`` (Schwartz & Hearst), or None."""
    s, i = short.lower(), len(long) - 1
    j = len(s) - 1
    while j >= 0:
        c = s[j]
        if not c.isalnum():
            j -= 1
            continue
        # the first letter of the abbreviation must start a word of the long form
        while i >= 0 and (long[i].lower() != c or (j == 0 and i > 0 and long[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        j -= 1
    start = long.rfind(" ", 0, i + 1) + 1
    found = long[start:].strip()
    return found if len(found.split()) <= len(short) + 5 else None


def sounds_like_start(short: str, long: str) -> bool:
    """Whether a Japanese long form may stand for ``short``: kanji as written, katakana by sound."""
    first = unicodedata.normalize("NFKC", long)[0]
    if not _KATAKANA.match(first):
        return True
    letter = short[0].lower()
    return any(first in kana and letter in letters for kana, letters in _ROWS.items())


def _pair(short: str, long: str) -> tuple[str, str] | None:
    if _capitals(short) < 2 or len(long) <= len(short):
        return None
    if long[0].isascii():
        found = spells(short, long)
        return (short, found) if found and found.lower() != short.lower() else None
    return (short, long) if sounds_like_start(short, long) else None


def find_abbreviations(text: str) -> list[tuple[str, str]]:
    """(abbreviation, long form) pairs defined in ``text``, in order, without repeats."""
    found = []
    for m in _BEFORE.finditer(text) if _BRACKETED_SHORT.search(text) else ():
        pair = _pair(m.group(2), m.group(1).strip())
        if pair:
            found.append(pair)
    for m in _AFTER.finditer(text) if _SHORT_BEFORE_BRACKET.search(text) else ():
        pair = _pair(m.group(1), m.group(2).strip())
        if pair:
            found.append(pair)
    return list(dict.fromkeys(found))


# Capitalised words in a row, small words between them allowed (Infrastructure as Code)
_SMALL = r"(?:of|as|a|an|the|and|for|to|in|on|with|&)"
# (the capital first, and what may not stand before it looked behind after: a pattern that
# starts with a letter is looked for letter by letter, not tried at every character)
_TITLE_RUN = re.compile(rf"[A-Z](?<![A-Za-z0-9.][A-Z])[a-z]+(?:[ \-](?:{_SMALL}[ \-])?[A-Z][a-z]+)"
                        rf"{{2,5}}(?![A-Za-z0-9'’])")
# words that make a run the title of a talk rather than a name: capitalised small
# words (How To Ask Questions The Smart Way) and a title's openings
_TITLE_WORDS = frozenset(
    "The To In On For With And Of A An As At By From Into Is Are Be Your You My Our Why How "
    "What When Where New Best Try Going Using Building Understanding Introduction".split())


def implied_abbreviations(text: str) -> list[tuple[str, str]]:
    """(acronym, name) for names of three to six capitalised words the notes write
    without their acronym: Site Reliability Engineering gives SRE, so that SRE finds it."""
    found = []
    for m in _TITLE_RUN.finditer(text):
        name = m.group()
        words = re.split(r"[ \-]", name)
        short = "".join(w[0] for w in words if w[:1].isupper())
        if 3 <= len(short) <= 6 and not _TITLE_WORDS.intersection(words):
            found.append((short, name))
    return list(dict.fromkeys(found))
