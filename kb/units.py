"""What a query asks for: its content words, split where the grammar splits them.

A query typed as a sentence (「CIでテストを並列に走らせるには」) is not one
phrase: it is split at particles, auxiliaries, verbs and punctuation into
units. A run of nouns with nothing between them (a compound such as 混合精度演算)
stays one unit, matched as a phrase. Verbs, adjectives and adverbs are units
of their own but *soft*: they raise the score of a session that has them and
never rule one out (a note says 実行 where the reader typed 走らせる). So are
the words that only shape a question or a request, listed in QUESTION_WORDS.
Everything here is pure: a tokenizer's morphemes in, units out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from kb.analysis import KATAKANA_RUN, STOP_LEMMAS, normalize
from kb.vocabulary import is_kana

WORD = re.compile(r"[^・]+")  # the pieces of a katakana run written with ・ between words

# Parts of speech (UniDic pos1) that build compounds: a run of them is one unit.
COMPOUND_POS = ("名詞", "接頭辞", "接尾辞", "形状詞", "記号")
# Parts of speech that are content, but soft: they never rule a session out.
SOFT_POS = ("動詞", "形容詞", "副詞")
# Words that shape a question or a request rather than say what it is about,
# as lemmas: 教えて, やり方, どうやって, 方法, 仕組み, 知りたい, …の話, …した人, …の事例.
HONORIFICS = frozenset({"さん", "氏", "様", "先生", "君", "くん", "ちゃん", "殿"})
KANA_HONORIFICS = ("さん", "サン", "くん", "クン", "ちゃん", "チャン", "さま", "せんせい")
QUESTION_WORDS = frozenset({
    "教える", "知る", "聞く", "分かる", "出来る", "始める", "遣る", "良い", "欲しい", "見る",
    "方法", "仕方", "方", "遣り方", "手順", "仕組み", "話", "件", "人", "向け", "為",
    "どう", "如何", "何", "何故", "色々", "もの", "物", "所", "辺り", "について",
    "発表", "講演", "セッション", "トーク", "登壇", "事例", "紹介",
})

# Nouns that end a compound without narrowing it, as lemmas: セットアップ自体,
# インフラ系, Docker周り, AI関連: the compound less them is what is asked for.
LIGHT_NOUNS = frozenset({"自体", "自身", "全般", "関連", "関係", "周り", "回り", "系"})


@dataclass(frozen=True)
class Unit:
    """One thing a query asks for: its text as typed, and how it is matched.

    ``phrase``: its words must stand together (a compound or a quoted phrase);
    ``soft``: it raises a score but is never required.
    """

    text: str
    phrase: bool = False
    soft: bool = False


def units(morphemes: Iterable[tuple], text: str) -> list[Unit]:
    """The units of ``text`` from its morphemes (start, end, surface, tag, lemma, reading).

    A text written in kana alone is one unit (a reading, or a word MeCab does
    not know), and so is each katakana run of a longer text, whatever MeCab
    made of it (アノテ is ア + ノテ to it).
    """
    if is_kana(text):
        # a name in kana with さん after it: すえださん finds what すえだ finds
        for suffix in KANA_HONORIFICS:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                return [Unit(text[:-len(suffix)])]
        return [Unit(text)]
    # ・ between katakana words separates them as a space would (ピーター・ワン)
    runs = [(m.start() + piece.start(), m.start() + piece.end())
            for m in KATAKANA_RUN.finditer(text) for piece in WORD.finditer(m.group())]
    found: list[Unit] = []
    run: list[tuple] = []  # the morphemes of the compound being read

    def close() -> None:
        light = run[-1] if len(run) > 1 and normalize(run[-1][4]) in LIGHT_NOUNS else None
        if light is not None:  # セットアップ自体: セットアップ, and 自体 soft
            run.pop()
        content = [m for m in run if not m[3].startswith("接尾辞")]
        if content:
            start, end = run[0][0], run[-1][1]
            soft = all(normalize(m[4]) in QUESTION_WORDS for m in run)
            found.append(Unit(text[start:end], phrase=len(run) > 1, soft=soft))
        if light is not None:
            found.append(Unit(text[light[0]:light[1]], soft=True))
        run.clear()

    for m in morphemes:
        tag, lemma = m[3], normalize(m[4])
        pos1 = tag.split(",", 1)[0]
        if any(start <= m[0] and m[1] <= end for start, end in runs):
            pos1 = "名詞"  # inside a katakana run: part of the word, whatever its tag
            tag = "名詞,普通名詞"
        if pos1 == "接尾辞" and (not run or lemma in HONORIFICS):
            # a suffix after a verb (やり方's 方) stands for nothing, and さん after
            # a name never constrains: 佐藤さん finds what 佐藤 finds
            close()
            continue
        if pos1 in COMPOUND_POS and not tag.startswith("名詞,代名詞") and \
                (lemma not in STOP_LEMMAS or pos1 == "名詞" and tag == "名詞,普通名詞"):
            run.append(m)
            continue
        close()
        if pos1 in SOFT_POS and lemma not in STOP_LEMMAS:
            # matched by its dictionary form, as the index keeps it: 走らせる -> 走る
            found.append(Unit(lemma, soft=True))
    close()
    if found and all(u.soft for u in found):
        # a query of nothing but soft words still asks for them
        found = [Unit(u.text, u.phrase, soft=False) for u in found]
    return found
