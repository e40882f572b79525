"""English glosses of loanwords, so that katakana and English words meet.

UniDic writes the English source of a loanword into its lemma (ブラウザ-browser).
The index keeps that gloss as a marked term at the word's position
(``≈browser``), once per field of a session; queries look it up below the
written word: a Latin query word finds the katakana words glossed with it,
and a katakana query word finds its gloss written in Latin letters.

A gloss can be of another sense than this field's (UniDic glosses キャッシュ
as "cash", クラウド as "crowd"). ``glosses:`` in data/synonyms.yaml corrects
them at search time: ``キャッシュ: cache`` makes "cache" find キャッシュ, and
キャッシュ find "cache", while "cash" no longer finds キャッシュ; ``ル: null``
takes a gloss away.
"""

from dataclasses import dataclass, field

MARK = "≈"  # never part of an analysed word: MeCab tags it as punctuation


def split_gloss(lemma) -> tuple[str, str]:
    """A UniDic lemma as (lemma, English gloss): データ-data -> (データ, data).

    Glosses may hold hyphens (スタートアップ-start-up); a lemma written in
    Latin letters (scikit-learn) has none, nor has a lemma without one: ''.
    """
    if "-" not in lemma:
        return lemma, ""
    head, _, tail = lemma.partition("-")
    if tail.isascii() and tail.replace("-", "").isalpha() and head and not head.isascii():
        return head, tail.replace("-", "").lower()
    start = 0
    while True:
        cut = lemma.find("-", start)
        if cut < 0:
            return lemma, ""
        tail = lemma[cut + 1:]
        if cut and tail and tail.isascii() and tail.replace("-", "").isalpha() \
                and not lemma[:cut].isascii():
            return lemma[:cut], tail.replace("-", "").lower()
        start = cut + 1


def gloss_term(gloss) -> str:
    """The index term of a gloss."""
    return MARK + gloss


def word_gloss(tokenizer, word) -> str:
    """The gloss of a word on its own (one morpheme), or ''."""
    found = list(tokenizer.morphemes(word))
    if len(found) != 1:
        return ""
    return split_gloss(found[0][4])[1]


@dataclass(frozen=True)
class GlossTable:
    """Glosses as corrected by data/synonyms.yaml.

    ``overrides`` maps a (folded) word to its right gloss, '' for none;
    ``replaced`` holds the glosses UniDic gave those words, which no longer
    lead to them.
    """

    overrides: dict = field(default_factory=dict)
    replaced: frozenset = frozenset()

    @classmethod
    def of(cls, overrides, tokenizer) -> "GlossTable":
        """The table for ``overrides``, reading each word's own gloss with ``tokenizer``."""
        replaced = {word_gloss(tokenizer, word) for word in overrides}
        return cls(dict(overrides), frozenset(replaced - {""} - set(overrides.values())))

    def gloss(self, lemma, gloss) -> str:
        """The gloss of ``lemma``, whose UniDic gloss is ``gloss``."""
        return self.overrides.get(lemma, gloss)

    def words_glossed(self, english) -> list[str]:
        """Words an override glosses as ``english``."""
        return [word for word, gloss in self.overrides.items() if gloss == english]

    def misleads(self, english) -> bool:
        """Whether the indexed gloss ``english`` only leads to words it does not mean."""
        return english in self.replaced
