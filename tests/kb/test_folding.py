"""Folding a session's text as the index folds its terms, and mapping offsets back."""

import re
import unicodedata

from kb.analysis import normalize
from kb.folding import STABLE_CHARS, folded_with_offsets


def test_stable_characters_fold_to_themselves_lower_cased():
    stable = re.compile(f"[{STABLE_CHARS}]")
    chars = [chr(c) for c in range(0x10000) if stable.fullmatch(chr(c))]
    assert len(chars) > 20000
    for c in chars:
        assert unicodedata.normalize("NFKC", c) == c and len(c.lower()) == 1, hex(ord(c))
        assert not unicodedata.combining(c), hex(ord(c))


def test_text_folded_like_its_terms_with_no_offsets_when_lengths_hold():
    text = "ＧＰＵで推論（速い）・Kubernetes"
    folded, offsets = folded_with_offsets(text)
    assert folded == normalize(text) == "gpuで推論(速い)・kubernetes"
    assert offsets is None


def written(text, term):
    """The written text a folded term was found in."""
    folded, offsets = folded_with_offsets(text)
    start = folded.index(term)
    (s, e), = offsets.spans([(start, start + len(term))])
    return text[s:e]


def test_matches_in_text_folded_to_another_length_map_back_to_what_was_written():
    text = "前置き…㈱の話。ＧＰＵ…そしてｱﾉﾃｰｼｮﾝ。最後にGPU"
    assert folded_with_offsets(text)[0] == normalize(text)
    assert written(text, "...") == "…"
    assert written(text, "(株)") == "㈱"
    assert written(text, "株") == "㈱"
    assert written(text, "gpu...") == "ＧＰＵ…"
    assert written(text, "アノテーション") == "ｱﾉﾃｰｼｮﾝ"
    assert written(text, "最後にgpu") == "最後にGPU"


def test_composed_characters_map_back_in_proportion():
    text = "この ｶﾞｲﾀﾞﾝｽ を読む"
    folded, offsets = folded_with_offsets(text)
    assert folded == normalize(text) == "この ガイダンス を読む"
    assert written(text, "を読む") == "を読む"
    assert written(text, "ガイダンス").startswith("ｶﾞｲ")


def test_written_offsets_map_to_where_they_begin_folded():
    text = "a…b㈱cｶﾞd"
    folded, offsets = folded_with_offsets(text)
    for at, char in enumerate(text):
        if char != "ﾞ":  # composed into the ｶ before it: nothing folded is its own
            start = offsets.folded_at(at)
            assert offsets.written_at(start) == at
            assert folded[start] == normalize(text[at:at + 2])[0]
    assert offsets.folded_at(len(text)) == len(folded)


def test_runs_folded_alike_map_back_wherever_they_occur():
    text = "…a…" + "b…" * 3 + "dｶﾞc…"
    folded, offsets = folded_with_offsets(text)
    assert folded == normalize(text)
    starts = [i for i in range(len(folded)) if folded.startswith("...", i)]
    assert [offsets.spans([(s, s + 3)])[0] for s in starts] == \
        [(i, i + 1) for i, c in enumerate(text) if c == "…"]
