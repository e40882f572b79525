"""Sessions keep who they are across edits: matching old sessions to new, and what carries over."""

import pytest

from kb.indexer.history import carry, match_sessions, stamp
from kb.indexer.notes import parse_note

T1, T2, T3 = stamp(1_600_000_000 * 10**9), stamp(1_700_000_000 * 10**9), stamp(1_800_000_000 * 10**9)

NOTE = """---
event: 勉強会
id: study
---
## GPU の話
GPUで推論を高速化した。バッチを大きくすると速くなるが、待ち時間は延びる。

## 検索の話
全文検索エンジンの転置インデックスを作った。形態素解析で語に分ける。

## 懇親会
"""


def records(text):
    """The records matching sees (id, title, notes) of a note's sessions, in order."""
    return [{"id": s.id, "title": s.title, "text": s.text, "body": s.body}
            for s in parse_note(text).sessions]


def loader(text):
    found = {r["id"]: r for r in records(text)}
    return found.get


def match(before, after):
    return match_sessions([r["id"] for r in records(before)], records(after), loader(before))


def renamed(before, after):
    return {old: new for old, new in match(before, after).items() if old != new}


def test_unchanged_ids_are_the_same_sessions():
    edited = NOTE.replace("速くなるが", "とても速くなるが")
    assert match(NOTE, edited) == {i: i for i in ("study/gpu-の話", "study/検索の話", "study/懇親会")}


@pytest.mark.parametrize("edited, expected", [
    # a title changed by one space
    (NOTE.replace("## GPU の話", "## GPUの話"), {"study/gpu-の話": "study/gpuの話"}),
    # a new title over the same notes
    (NOTE.replace("## 検索の話", "## Elasticsearch 入門"),
     {"study/検索の話": "study/elasticsearch-入門"}),
    # a new title and edited notes: alike enough
    (NOTE.replace("## 検索の話", "## 転置インデックス入門").replace(
        "形態素解析で語に分ける。", "形態素解析で語に分け、品詞で絞る。"),
     {"study/検索の話": "study/転置インデックス入門"}),
    # a heading written ahead, retitled and filled in later
    (NOTE.replace("## 懇親会\n", "## 懇親会で聞いたこと\nLTの続きを聞いた。\n"),
     {"study/懇親会": "study/懇親会で聞いたこと"}),
    # a session inserted before another that is retitled; a third gains a trailing space
    (NOTE.replace("## GPU の話", "## 新しい話\n別の内容。\n\n## GPU の話（続）").replace(
        "## 検索の話", "## 検索の話 "), {"study/gpu-の話": "study/gpu-の話-続"}),
    # a new event id
    (NOTE.replace("id: study", "id: study-2024"),
     {f"study/{s}": f"study-2024/{s}" for s in ("gpu-の話", "検索の話", "懇親会")}),
    # a session replaced by an unrelated one in its place is not it
    (NOTE.replace(
        "## 検索の話\n全文検索エンジンの転置インデックスを作った。形態素解析で語に分ける。",
        "## Kubernetes 運用\nノードの自動修復とオートスケールを設定した。"), {}),
])
def test_sessions_that_stay_themselves(edited, expected):
    assert renamed(NOTE, edited) == expected


def test_a_removed_session_matches_nothing():
    removed = NOTE.replace("## GPU の話\nGPUで推論を高速化した。バッチを大きくすると速くなるが、"
                           "待ち時間は延びる。\n", "")
    assert "study/gpu-の話" not in match(NOTE, removed)


def test_sessions_keep_their_places_when_one_is_inserted_and_others_retitled():
    edited = NOTE.replace("## GPU の話", "## 新しい話\n別の内容。\n\n## GPU の話（続）").replace(
        "## 検索の話", "## 検索の話 ")
    assert renamed(NOTE, edited) == {"study/gpu-の話": "study/gpu-の話-続"}


def test_a_new_event_id_keeps_every_session():
    moved = NOTE.replace("id: study", "id: study-2024")
    assert renamed(NOTE, moved) == {f"study/{s}": f"study-2024/{s}"
                                    for s in ("gpu-の話", "検索の話", "懇親会")}


def test_many_equal_titles_all_retitled_are_matched_in_order():
    before = "---\nevent: e\n---\n" + "## a\n\n" * 2000
    after = "---\nevent: e\n---\n" + "## b\n\n" * 2000
    found = match(before, after)
    assert len(found) == 2000
    assert found["e/a"] == "e/b" and found["e/a-2000"] == "e/b-2000"
    before = "---\nevent: e\n---\n" + "".join(f"## a\nメモ{i}\n\n" for i in range(2000))
    found = match(before, before.replace("## a", "## b").replace("メモ1\n", "メモ1です\n"))
    assert len(found) == 2000 and found["e/a-2"] == "e/b-2"


def carried(before_text, after_text, before_record, now):
    return carry(before_record, parse_note(after_text).id, records(after_text),
                 loader(before_text), now)


def first_record(text, now):
    """The stored event record of a note indexed for the first time at ``now``."""
    kept = carry(None, "study", records(text), loader(text), now)
    return {"id": "study", "sessions": {r["id"]: "" for r in records(text)},
            "history": kept.history, "former": kept.former, "former_ids": list(kept.former_ids)}


def test_times_carry_over_and_change_only_with_the_notes():
    before = first_record(NOTE, T1)
    edited = NOTE.replace("## GPU の話", "## GPUの話").replace("全文検索", "全文検索や類似検索")
    kept = carried(NOTE, edited, before, T2).sessions
    gpu, search, party = kept["study/gpuの話"], kept["study/検索の話"], kept["study/懇親会"]
    assert gpu.indexed == search.indexed == party.indexed == T1
    assert party.changed == T1  # untouched
    assert search.changed == T2  # its notes changed
    assert gpu.changed == T2  # retitled: the notes as written changed
    assert gpu.origin == "study/gpu-の話"


def test_a_new_session_is_indexed_and_changed_now():
    before = first_record(NOTE, T1)
    added = NOTE + "\n## 新しい話\n本文。\n"
    assert carried(NOTE, added, before, T2).sessions["study/新しい話"].indexed == T2


def test_redirect_chains_collapse_and_a_name_taken_back_is_no_longer_former():
    first = NOTE
    second = NOTE.replace("## GPU の話", "## GPUの話")
    third = NOTE.replace("## GPU の話", "## GPU 推論の話")
    record = first_record(first, T1)
    kept = carried(first, second, record, T2)
    assert kept.former == {"study/gpu-の話": "study/gpuの話"}
    record = {**record, "sessions": {r["id"]: "" for r in records(second)},
              "history": kept.history, "former": kept.former}
    kept = carried(second, third, record, T3)
    assert kept.former == {"study/gpu-の話": "study/gpu-推論の話",
                           "study/gpuの話": "study/gpu-推論の話"}
    assert kept.renamed == (("study/gpuの話", "study/gpu-推論の話"),)
    record = {**record, "sessions": {r["id"]: "" for r in records(third)},
              "history": kept.history, "former": kept.former}
    back = carried(third, first, record, T3)
    assert back.former == {"study/gpuの話": "study/gpu-の話",
                           "study/gpu-推論の話": "study/gpu-の話"}


def test_a_removed_session_takes_its_former_ids_with_it():
    renamed_note = NOTE.replace("## 懇親会", "## 懇親会メモ")
    record = first_record(NOTE, T1)
    kept = carried(NOTE, renamed_note, record, T2)
    record = {**record, "sessions": {r["id"]: "" for r in records(renamed_note)},
              "history": kept.history, "former": kept.former}
    gone = renamed_note.replace("## 懇親会メモ\n", "")
    assert carried(renamed_note, gone, record, T3).former == {}


def test_an_event_remembers_its_former_ids():
    record = {**first_record(NOTE, T1), "former_ids": ["older"]}
    kept = carried(NOTE, NOTE.replace("id: study", "id: study-2024"), record, T2)
    assert kept.former_ids == ("older", "study")
    assert kept.renamed_event == ("study", "study-2024")


def test_an_index_without_history_dates_sessions_by_the_file():
    record = {"id": "study", "sessions": {r["id"]: "" for r in records(NOTE)},
              "signature": [100, 1_600_000_000 * 10**9]}
    edited = NOTE.replace("全文検索", "全文検索や類似検索")
    kept = carried(NOTE, edited, record, T2).sessions
    assert kept["study/gpu-の話"].indexed == kept["study/gpu-の話"].changed == T1
    assert kept["study/検索の話"].changed == T2


def test_stamps_sort_as_times_do():
    assert stamp(1) < stamp(10**9) < stamp(10**9 + 1000) < T1 < T2
    assert T1 == "2020-09-13T12:26:40.000000Z"
