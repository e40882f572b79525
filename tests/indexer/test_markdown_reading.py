"""Markdown is read once, by markdown-it's tokens: sessions, text and images agree.

Notes are written to disk, indexed by `kb index` and searched; Hatena exports go
through `kb import hatena` first, as a user runs them.
"""

import json

from kb.cli import main
from kb.indexer.hatena import entry_to_note
from kb.indexer.movabletype import parse_export
from kb.indexer.notes import parse_note
from kb.text import markdown_to_text

from notefolder import TARGET, TOPICS

HEAD = TARGET.split("## ")[0]


def test_reference_link_definitions_are_not_text(notes):
    notes.write("x.md", HEAD + "## 資料\n[スライド][deck]を見た。\n\n"
                               '[deck]: https://example.com/slides "ZEBRAQUAGGA"\n')
    assert notes.kb_index() == (0, "")
    assert notes.search(q="スライド").total == 1
    assert notes.search(q="ZEBRAQUAGGA").total == 0
    assert notes.search(q="example").total == 0


def test_box_markers_are_not_text_but_their_content_and_titles_are(notes):
    notes.write("x.md", HEAD + "## 箱\n:::message alert\n箱の中の注意書き\n:::\n\n"
                               ":::details 答えの見出し\n隠した答え\n:::\n\n"
                               ":::info:動画のリンク\n動画の説明\n:::\n")
    assert notes.kb_index() == (0, "")
    hit, = notes.search(q="注意書き").results
    assert notes.search(q="隠した答え").total == notes.search(q="答えの見出し").total == 1
    assert notes.search(q="動画のリンク").total == 1
    for marker in ("message", "alert", "details", "info"):
        assert notes.search(q=marker).total == 0, marker


def test_headings_inside_code_quotes_and_boxes_are_not_sessions():
    note = HEAD + ("## 一つ目\n````markdown\n```\n## コードの中\n```\n````\n\n"
                   "> ## 引用の中\n\n:::message\n## 箱の中\n:::\n\n## 二つ目\n本文\n")
    event = parse_note(note, "x.md")
    assert [(s.title, s.line) for s in event.sessions] == [("一つ目", 6), ("二つ目", 19)]
    first = event.sessions[0]
    assert "## コードの中" in first.body and "## 箱の中" in first.body
    assert "コードの中" in first.text and "引用の中" in first.text


def test_footnotes_stay_with_their_session():
    note = HEAD + "## 一つ目\n本文[^1]\n\n[^1]: 一つ目の脚注\n\n## 二つ目\n本文\n"
    first, second = parse_note(note, "x.md").sessions
    assert first.text == "本文\n一つ目の脚注"
    assert second.text == "本文"


def test_text_keeps_words_and_drops_markup():
    text = markdown_to_text("# 見出し\n- **太字**と`code`\n- [リンク](https://example.com/x)\n\n"
                            "![図](https://example.com/a.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                            "<br>タグ<b>の外</b> \\*星\\*\n\n```\n<keep> = 1\n```\n")
    assert text.splitlines() == ["見出し", "太字とcode", "リンク", "a b", "1 2",
                                 "タグ の外 *星*", "<keep> = 1"]


def test_metadata_lines_are_not_text_but_the_notes_under_them_are():
    session, = parse_note(HEAD + "## 題\nspeakers: 山田花子\ntags: GPU\nすぐ下の本文\n",
                          "x.md").sessions
    assert session.speakers == ("山田花子",) and session.tags == ("GPU",)
    assert session.text == "すぐ下の本文"
    assert session.body == "すぐ下の本文"


def _entry(basename, body):
    return (f"TITLE: {basename}\nBASENAME: 2021/07/04/{basename}\nSTATUS: Publish\n"
            f"DATE: 07/04/2021 10:00:00\n-----\nBODY:\n{body}\n-----\n--------\n")


def test_a_hatena_export_with_hostile_and_sloppy_html(tmp_path, capsys):
    export = tmp_path / "export.txt"
    code = "```\n## not a session\n```"
    export.write_text(
        _entry("deep", "<h3>深い</h3>\n<p>" + "<span>" * 500 + "x" + "</span>" * 500 + "</p>")
        + _entry("sloppy", "<h3>雑なHTML</h3>\n<p><b>太字<i>両方</b> 斜体</i>のあと</p>")
        + _entry("code", f"<h3>コード</h3>\n<pre>{code}</pre>\n<h3>次の話</h3>\n<p>本文</p>"),
        encoding="utf-8")
    out = tmp_path / "notes"
    status = main(["import", "hatena", str(export), "--out", str(out),
                   "--blog-url", "https://example.hatenablog.com"])
    err = capsys.readouterr().err
    assert status == 1
    assert f"error: {export}:8: invalid HTML: elements nest more than 100 deep" in err
    assert sorted(p.name for p in out.iterdir()) == ["2021-07-04-code.md", "2021-07-04-sloppy.md"]
    # read as browsers do: bold-italic 両方, then italic 斜体
    sloppy = (out / "2021-07-04-sloppy.md").read_text(encoding="utf-8")
    assert "**太字*両方*** *斜体*のあと" in sloppy

    index = tmp_path / "index"
    assert main(["index", str(out), "--index", str(index), "--topics", str(TOPICS)]) == 0
    capsys.readouterr()
    assert main(["search", "--index", str(index), "--json", "--limit", "20"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert sorted(hit["title"] for hit in found["results"]) == ["コード", "次の話", "雑なHTML"]
    assert main(["search", "斜体", "--index", str(index)]) == 0
    assert "雑なHTML" in capsys.readouterr().out


def test_an_entry_whose_only_heading_is_quoted_is_one_session_named_by_its_title():
    entry, = parse_export(_entry("quoted", "<blockquote><h3>引用の見出し</h3><p>本文</p>"
                                           "</blockquote>")).entries
    session, = parse_note(entry_to_note(entry), "quoted.md").sessions
    assert session.title == "quoted"
    assert session.text == "引用の見出し\n本文"
