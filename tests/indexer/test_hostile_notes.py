"""Hostile notes, each through `kb index` as a user runs it: one never stops the run.

Each is reported as `file:line: message` (or `file: message`), keeps what was
indexed from it before, and the other notes' changes of the same run go in.
How long the worst shapes take is measured by `python -m benchmarks.hostile`.
"""

import re

import pytest

from kb.indexer.build import build_index
from kb.indexer.sources import parse_source
from kb.search import SearchRequest, SearchService

from notefolder import OTHER, OTHER_SESSIONS, TARGET, TARGET_SESSIONS

ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
tags: *i
"""
DEEP = 3_000


def _front_matter(yaml_lines):
    return TARGET.replace("id: target\n", "id: target\n" + yaml_lines)


def _event_file(path, extra=""):
    path.unlink(missing_ok=True)
    path.with_suffix(".yaml").write_text(
        "event: Target\nid: target\ndate: 2021-05-01\n" + extra
        + "sessions:\n  - title: 元の内容\n    notes: 最初に書いたノート。\n", encoding="utf-8")


# (what, the text that replaces x.md, the file it ends up in, the message after its path)
HOSTILE = [
    ("alias bomb in front matter", lambda p: p.write_text(_front_matter(ALIAS_BOMB)),
     "x.md", r":8: invalid YAML in front matter: aliases stand for more than 10,000 values"),
    ("alias bomb in a YAML event file", lambda p: _event_file(p, ALIAS_BOMB),
     "x.yaml", r":8: invalid YAML: aliases stand for more than 10,000 values"),
    ("an alias inside what it names", lambda p: p.write_text(_front_matter("x: &x [a, *x]\n")),
     "x.md", r":4: invalid YAML in front matter: alias \*x refers to a list or mapping"),
    ("YAML front matter nested 3,000 deep",
     lambda p: p.write_text(_front_matter("x: " + "[" * DEEP + "]" * DEEP + "\n")),
     "x.md", r":4: invalid YAML in front matter: lists and mappings nest more than 50 deep"),
    ("a YAML event file nested 3,000 deep",
     lambda p: _event_file(p, "x: " + "[" * DEEP + "]" * DEEP + "\n"),
     "x.yaml", r":4: invalid YAML: lists and mappings nest more than 50 deep"),
    ("block lists nested 1,000 deep in a YAML event file",
     lambda p: _event_file(p, "x:\n" + "".join(" " * i + "-\n" for i in range(1_000))),
     "x.yaml", r":54: invalid YAML: lists and mappings nest more than 50 deep"),
    ("TOML front matter nested 3,000 deep",
     lambda p: p.write_text('+++\ntitle = "Target"\nid = "target"\n\nx = '
                            + "[" * DEEP + "]" * DEEP + "\n+++\n## 元の内容\n本文\n"),
     "x.md", r":5: invalid TOML in front matter: arrays and tables nest more than 50 deep"),
    ("draft written as a word", lambda p: p.write_text(_front_matter("draft: maybe\n")),
     "x.md", r":4: 'draft' must be true or false, not 'maybe'"),
    ("published written as a number", lambda p: p.write_text(_front_matter("published: 0\n")),
     "x.md", r":4: 'published' must be true or false, not 0"),
    ("event id ..", lambda p: p.write_text(TARGET.replace("id: target", "id: ..")),
     "x.md", r":3: invalid id '\.\.': use letters, digits and '-'"),
    ("event id .", lambda p: p.write_text(TARGET.replace("id: target", "id: .")),
     "x.md", r":3: invalid id '\.'"),
    ("a zero-width space in an id",
     lambda p: p.write_text(TARGET.replace("id: target", "id: tar\u200bget")),
     "x.md", r":3: invalid id 'tar\\u200bget': it contains an invisible character \(U\+200B\)"),
    ("a bidi override in a slug",
     lambda p: p.write_text(TARGET.replace("## 元の内容\n", "## 元の内容\nslug: abc\u202edef\n")),
     "x.md", r":7: invalid slug 'abc\\u202edef': it contains an invisible character \(U\+202E\)"),
    ("one slug set twice",
     lambda p: p.write_text(TARGET + "\n## 別の話\nslug: same\n\n## 三つ目\nslug: Same\n"),
     "x.md", r":13: slug 'same' is already set on line 10"),
]


@pytest.mark.parametrize(("what", "write", "name", "message"), HOSTILE,
                         ids=[h[0] for h in HOSTILE])
def test_a_hostile_note_is_named_and_the_run_goes_on(notes, what, write, name, message):
    if name.endswith(".yaml"):
        _event_file(notes.target)  # the same sessions, from an event file
    assert notes.kb_index() == (0, "")
    (notes.folder / "other.md").write_text(OTHER.replace("別のファイル", "書き直した"),
                                          encoding="utf-8")
    write(notes.target)

    status, err = notes.kb_index()
    assert status == 1
    assert re.search(re.escape(str(notes.folder / name)) + message, err), err
    assert "kb: 1 file(s) could not be indexed; they keep what was indexed before" in err
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS
    assert notes.search(q="書き直した").total == 1
    assert notes.search(q="最初に書いた").total == 1


def test_aliases_within_the_budget_are_read(notes):
    notes.write("x.yaml", "event: Target\nid: target\nteam: &team [山田花子, 佐藤一郎]\n"
                          "sessions:\n  - title: 一つ目\n    speakers: *team\n"
                          "  - title: 二つ目\n    speakers: *team\n")
    notes.target.unlink()
    assert notes.kb_index() == (0, "")
    assert {hit["id"]: hit["speakers"] for hit in notes.search(events=("target",)).results} == {
        "target/一つ目": ["山田花子", "佐藤一郎"], "target/二つ目": ["山田花子", "佐藤一郎"]}


@pytest.mark.parametrize("spelled", ['"false"', '"no"', "no", "off", "False", "'OFF'"])
def test_draft_false_in_any_spelling_is_indexed(notes, spelled):
    notes.write("x.md", _front_matter(f"draft: {spelled}\n"))
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS


@pytest.mark.parametrize("front", ['draft: "true"', "draft: yes", 'draft: "On"',
                                   "published: 'false'", "published: no"])
def test_draft_true_in_any_spelling_is_left_out(notes, front):
    notes.write("x.md", _front_matter(front + "\n"))
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == OTHER_SESSIONS


def test_a_toml_draft(notes):
    notes.write("x.md", '+++\ntitle = "Target"\nid = "target"\ndraft = "false"\n+++\n'
                        "## 元の内容\n本文\n")
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS


def test_a_nul_byte_is_reported_on_its_own_line(notes):
    notes.write("x.md", TARGET + "\n## 二つ目\n途中に\x00がある\n")
    status, err = notes.kb_index()
    assert status == 1
    assert f"{notes.target}:10: not a text file (it contains NUL bytes)" in err


def test_a_note_over_its_time_budget_keeps_its_last_good_state(tmp_path, topics):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "x.md").write_text(TARGET, encoding="utf-8")
    (folder / "other.md").write_text(OTHER, encoding="utf-8")
    index = tmp_path / "index"
    assert build_index(index, [folder], *topics, progress=False).ok
    # markup that takes markdown-it many seconds to read, against a budget of one
    (folder / "x.md").write_text(TARGET + "![" * 300_000, encoding="utf-8")
    (folder / "other.md").write_text(OTHER.replace("別のファイル", "書き直した"), encoding="utf-8")
    report = build_index(index, [folder], *topics, progress=False, note_seconds=1)
    assert report.errors == [f"{folder / 'x.md'}: took more than 1 s of processor time "
                             "to read: split it, or simplify what it repeats"]
    service = SearchService(index, topics[0], check_interval=0)
    try:
        assert service.search(SearchRequest(q="最初に書いた")).total == 1
        assert service.search(SearchRequest(q="書き直した")).total == 1
    finally:
        service.close()


def test_forty_thousand_identical_headings_get_their_own_ids():
    # 200 KB; timed by `python -m benchmarks.hostile` (linear suffixing: a second or two)
    text = TARGET.split("## ")[0] + "## a\n" * 40_000
    event = parse_source(text.encode(), "x.md")
    ids = [s.id for s in event.sessions]
    assert len(set(ids)) == 40_000
    assert ids[:3] == ["target/a", "target/a-2", "target/a-3"] and ids[-1] == "target/a-40000"


def test_identical_headings_index_with_their_own_ids(notes):
    notes.write("x.md", TARGET.split("## ")[0] + "## 同じ題\n本文\n\n" * 300)
    assert notes.kb_index() == (0, "")
    assert notes.search(events=("target",)).total == 300
    assert [hit["id"] for hit in notes.search(q="title:同じ題", sort="date").results][:3] == [
        "target/同じ題", "target/同じ題-2", "target/同じ題-3"]


def test_a_slug_set_by_hand_wins_over_a_slug_made_from_another_title(notes):
    notes.write("x.md", TARGET + "\n## 別の話\nslug: 元の内容\n\nピン留めした。\n")
    assert notes.kb_index() == (0, "")
    titles = {hit["id"]: hit["title"] for hit in notes.search(events=("target",)).results}
    # the hand-set slug keeps its id; the title that would have taken it moves on
    assert titles == {"target/元の内容": "別の話", "target/元の内容-2": "元の内容"}


def test_notes_read_in_several_processes_report_the_same(tmp_path, topics):
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(4):
        (folder / f"ok-{i}.md").write_text(TARGET.replace("id: target", f"id: ok-{i}"),
                                           encoding="utf-8")
    (folder / "bomb.md").write_text(_front_matter(ALIAS_BOMB).replace("id: target", "id: b"),
                                    encoding="utf-8")
    (folder / "slow.md").write_text(TARGET.replace("id: target", "id: slow") + "![" * 300_000,
                                    encoding="utf-8")
    report = build_index(tmp_path / "index", [folder], *topics, progress=False, procs=2,
                         parallel_chars=0, note_seconds=1)
    assert sorted(report.errors) == [
        f"{folder / 'bomb.md'}:8: invalid YAML in front matter: aliases stand for more than "
        "10,000 values: write the values out instead",
        f"{folder / 'slow.md'}: took more than 1 s of processor time to read: "
        "split it, or simplify what it repeats"]
    assert (report.events, report.sessions) == (4, 4)
