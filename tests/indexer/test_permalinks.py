"""Sessions keep their identity and history across edits, moves, rebuilds and kb versions.

Every case edits real notes on disk between runs of `kb index` into a real index.
Times are compared with each other, never with the clock.
"""

import json

from kb.cli import main
from kb.engine.schema import SCHEMA_VERSION
from kb.engine.store import POINTER
from kb.text import slugify

CONF = """---
event: Conf
id: conf
date: 2019-05-01
---
## GPU の話
GPUで推論を高速化した。バッチを大きくすると速くなる。

## 検索の話
全文検索エンジンの転置インデックスを作った。

## 懇親会
"""
LONG_TITLE = ("Interpretable Machine Learning: Making black box models explainable "
              "with Python and friends")


def history(notes, event_id="conf"):
    """{session id: [first indexed, last changed, ...]} as the index keeps it."""
    return notes.events()[event_id]["history"]


def test_kb_index_reports_a_retitled_session_and_it_keeps_its_history(notes):
    notes.write("x.md", CONF)
    assert notes.kb_index() == (0, "")
    before = history(notes)
    notes.write("x.md", CONF.replace("## GPU の話", "## GPUの話"))
    assert notes.kb_index() == (0, "")
    assert "renamed: conf/gpu-の話 → conf/gpuの話\n" in notes.out
    assert "0 added, 0 changed, 0 removed, 1 renamed" in notes.out
    after = history(notes)
    assert after["conf/gpuの話"][0] == before["conf/gpu-の話"][0]  # first indexed: kept
    assert after["conf/gpuの話"][1] > before["conf/gpu-の話"][1]  # its notes changed now
    assert after["conf/検索の話"] == before["conf/検索の話"]
    assert notes.sessions() == {"conf/gpuの話", "conf/検索の話", "conf/懇親会",
                                "other/ほかのノート"}
    assert notes.events()["conf"]["former"] == {"conf/gpu-の話": "conf/gpuの話"}


def test_changed_notes_are_dated_when_they_change_and_untouched_ones_keep_their_time(notes):
    notes.write("x.md", CONF)
    notes.kb_index()
    before = {**history(notes), **history(notes, "other")}
    notes.write("x.md", CONF.replace("転置インデックスを作った", "転置インデックスを作り直した"))
    notes.kb_index()
    after = {**history(notes), **history(notes, "other")}
    assert after["conf/検索の話"][0] == before["conf/検索の話"][0]
    assert after["conf/検索の話"][1] > before["conf/検索の話"][1]
    for unchanged in ("conf/gpu-の話", "conf/懇親会", "other/ほかのノート"):
        assert after[unchanged] == before[unchanged]


def test_notes_added_today_for_an_old_event_come_first_in_the_new_order(notes):
    notes.write("x.md", CONF)
    notes.kb_index()
    notes.write("late.md", "---\nevent: Old Meetup\nid: old-meetup\ndate: 2015-02-01\n---\n"
                           "## 昔の発表\n今日になって書いた。\n")
    notes.kb_index()
    newest = [hit.record.id for hit in notes.search(sort="new").hits]
    assert newest[0] == "old-meetup/昔の発表"
    by_date = [hit.record.id for hit in notes.search(sort="date").hits]
    assert by_date[-1] == "old-meetup/昔の発表"
    changed = [hit.record.changed for hit in notes.search(sort="new").hits]
    assert changed == sorted(changed, reverse=True)
    assert main(["search", "--sort", "new", "--json", "--index", str(notes.index)]) == 0
    answer = json.loads(notes.capsys.readouterr().out)
    assert answer["sort"] == "new" and answer["results"][0]["id"] == "old-meetup/昔の発表"
    # an edit brings an old session back to the top
    notes.write("other.md", notes.folder.joinpath("other.md").read_text() + "追記。\n")
    notes.kb_index()
    assert notes.search(sort="new").hits[0].record.id == "other/ほかのノート"


def test_a_moved_note_keeps_its_history(notes):
    notes.write("x.md", CONF)
    notes.kb_index()
    before = history(notes)
    sub = notes.folder / "2019"
    sub.mkdir()
    notes.target.rename(sub / "conf.md")
    assert notes.kb_index() == (0, "")
    assert history(notes) == before


def test_a_rebuild_keeps_history_and_former_ids(notes):
    notes.write("x.md", CONF)
    notes.kb_index()
    notes.write("x.md", CONF.replace("## 懇親会", "## 懇親会で聞いた話"))
    notes.kb_index()
    before, former = history(notes), notes.events()["conf"]["former"]
    assert former == {"conf/懇親会": "conf/懇親会で聞いた話"}
    assert notes.kb_index("--rebuild") == (0, "")
    assert "rebuilt" in notes.out and "renamed:" not in notes.out
    assert history(notes) == before
    assert notes.events()["conf"]["former"] == former


def test_a_removed_session_leaves_no_former_id(notes):
    notes.write("x.md", CONF)
    notes.kb_index()
    notes.write("x.md", CONF.replace("## 懇親会", "## 懇親会の話"))
    notes.kb_index()
    notes.write("x.md", CONF.replace("## 懇親会\n", ""))
    notes.kb_index()
    assert "1 removed" in notes.out
    assert notes.events()["conf"]["former"] == {}


def test_a_new_event_id_renames_the_event_and_its_sessions(notes):
    notes.write("x.md", CONF)
    notes.kb_index()
    notes.write("x.md", CONF.replace("id: conf", "id: conf-2019"))
    notes.kb_index()
    assert "renamed: conf → conf-2019\n" in notes.out
    assert "renamed: conf/検索の話 → conf-2019/検索の話\n" in notes.out
    record = notes.events()["conf-2019"]
    assert record["former_ids"] == ["conf"]
    assert record["former"]["conf/懇親会"] == "conf-2019/懇親会"


def test_an_index_of_an_older_kb_with_long_ids_is_renamed_on_the_next_run(notes, monkeypatch):
    # an older kb made ids of up to 80 characters and kept them across versions
    notes.write("x.md", CONF + f"\n## {LONG_TITLE}\n長いタイトルの発表。\n")
    monkeypatch.setattr("kb.indexer.notes.slugify",
                        lambda text, max_length=None: slugify(text, max_length=None))
    notes.kb_index()
    long_id = "conf/" + slugify(LONG_TITLE, max_length=None)
    assert long_id in notes.sessions()
    before = history(notes)[long_id]
    monkeypatch.undo()
    pointer = notes.index / POINTER
    old = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({**old, "schema_version": SCHEMA_VERSION - 1}))

    assert notes.kb_index() == (0, "")
    short_id = "conf/interpretable-machine-learning-making-black-box-models"
    assert f"renamed: {long_id} → {short_id}\n" in notes.out
    assert notes.out.count("renamed:") == 1
    assert short_id in notes.sessions() and long_id not in notes.sessions()
    record = notes.events()["conf"]
    assert record["former"] == {long_id: short_id}
    assert record["history"][short_id][:2] == before[:2]  # not news: only its address changed
    assert notes.kb_index() == (0, "") and "renamed:" not in notes.out
