"""Queries typed as sentences: content words split where the grammar splits them."""

import pytest

from kb.analysis import JapaneseTokenizer
from kb.units import units


@pytest.fixture(scope="module")
def split():
    tokenizer = JapaneseTokenizer()

    def run(text):
        return [(u.text, u.phrase, u.soft) for u in units(tokenizer.morphemes(text), text)]
    return run


def test_a_question_splits_at_particles_and_verbs(split):
    assert split("CIでテストを並列に走らせるには") == [
        ("CI", False, False), ("テスト", False, False), ("並列", False, False),
        ("走る", False, True)]  # the verb, by its dictionary form, only raises a score


def test_a_compound_stays_one_phrase(split):
    assert split("混合精度演算") == [("混合精度演算", True, False)]
    assert split("機械学習モデルを本番で運用する") == [
        ("機械学習モデル", True, False), ("本番", False, False), ("運用", False, False)]


def test_words_that_only_shape_a_request_never_constrain(split):
    assert split("静的解析のやり方を教えて") == [
        ("静的解析", True, False), ("遣る", False, True), ("教える", False, True)]
    assert [u for u in split("Pythonでログを出力する方法") if not u[2]] == [
        ("Python", False, False), ("ログ", False, False), ("出力", False, False)]

    assert split("テストを自動化した事例") == [
        ("テスト", False, False), ("自動化", True, False), ("事例", False, True)]


def test_a_noun_that_ends_a_compound_without_narrowing_it_is_soft(split):
    assert split("セットアップ自体を自動化") == [
        ("セットアップ", False, False), ("自体", False, True), ("自動化", True, False)]
    assert split("インフラ系") == [("インフラ", False, False), ("系", False, True)]
    assert split("Docker周り") == [("Docker", False, False), ("周り", False, True)]
    assert split("自体") == [("自体", False, False)]  # alone, it is what was asked


def test_honorifics_after_a_name_are_dropped(split):
    assert split("佐藤さんの発表") == [("佐藤", False, False), ("発表", False, True)]
    assert split("寺田佳央さん") == [("寺田佳央", True, False)]


def test_kana_and_katakana_runs_stay_whole(split):
    assert split("りんり") == [("りんり", False, False)]
    assert split("アノテの品質") == [("アノテ", True, False), ("品質", False, False)]


def test_a_query_of_soft_words_only_still_asks_for_them(split):
    assert split("走らせる") == [("走る", False, False)]


def test_a_nakaguro_between_katakana_words_separates_them(split):
    # a name written in katakana: each part is a word, and 氏 never constrains
    assert split("ピーター・ワン氏") == [("ピーター", False, False), ("ワン", False, False)]
