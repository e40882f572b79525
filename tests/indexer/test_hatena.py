from pathlib import Path

import pytest

from kb.indexer.hatena import entry_to_note, note_file_name, permalink
from kb.indexer.movabletype import ExportError, parse_export
from kb.indexer.notes import parse_note

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "hatena"
BLOG = "https://blog.example.jp"


def entries(name):
    text = (FIXTURES / name).read_bytes().decode("utf-8")
    return parse_export(text, name)


def convert(name, index=0):
    entry = entries(name).entries[index]
    return parse_note(entry_to_note(entry, BLOG, name, note_id="example"), name)


def normalised(text):
    return " ".join(text.split())


@pytest.mark.parametrize(
    "basename, url",
    [
        ("2020/06/19/123456", f"{BLOG}/entry/2020/06/19/123456"),
        ("カンファレンス/参加メモ", f"{BLOG}/entry/%E3%82%AB%E3%83%B3%E3%83%95%E3%82%A1%E3%83"
         "%AC%E3%83%B3%E3%82%B9/%E5%8F%82%E5%8A%A0%E3%83%A1%E3%83%A2"),
        ("a b?c#d", f"{BLOG}/entry/a%20b%3Fc%23d"),
        ("already%20encoded", f"{BLOG}/entry/already%20encoded"),
    ],
)
def test_permalink_percent_encodes_each_segment(basename, url):
    assert permalink(BLOG + "/", basename) == url


@pytest.mark.parametrize(
    "basename, name",
    [
        ("2020/06/19/123456", "2020-06-19-123456.md"),
        ("カンファレンス/参加メモ", "カンファレンス-参加メモ.md"),
        ("../../etc/passwd", "etc-passwd.md"),
        ('a:b*c?"d"<e>|f g', "a-b-c-d-e-f-g.md"),
        ("...", "entry.md"),
        ("長" * 200, "長" * 80 + ".md"),
    ],
)
def test_note_file_names_are_safe(basename, name):
    assert note_file_name(basename) == name


def test_the_decode_2020_export_gives_the_sample_notes_sessions():
    imported = convert("decode-2020-export.txt")
    sample = parse_note((ROOT / "data" / "notes" / "decode-2020.md").read_text("utf-8"), "sample")
    assert [s.title for s in imported.sessions] == [s.title for s in sample.sessions]
    assert [normalised(s.body) for s in imported.sessions] == [
        normalised(s.body) for s in sample.sessions
    ]
    assert [s.images for s in imported.sessions] == [s.images for s in sample.sessions]
    assert normalised(imported.intro) == normalised(sample.intro)
    assert imported.sessions[0].images[0].caption == "AI倫理審査ボード"


def test_the_decode_2020_export_front_matter():
    imported = convert("decode-2020-export.txt")
    assert imported.name == "de:code 2020 ( #decode20 ) 聴講ノート(AI・機械学習関連のみ)"
    assert imported.id == "example"
    assert imported.date == "2020-06-19"
    assert imported.url == f"{BLOG}/entry/2020/06/19/example"
    assert imported.tags == ("AI・機械学習",)
    assert not imported.draft
    assert {s.url for s in imported.sessions} == {imported.url}


def test_features_entry_converts_every_kind_of_markup():
    event = convert("features-export.txt")
    assert event.name == "Example Conf 2021 参加メモ & 感想 <速報>"
    assert event.date == "2021-07-04"  # 01:30:00 PM
    assert event.tags == ("イベント", "Python")
    assert event.url.startswith(f"{BLOG}/entry/%E3%82%AB")
    assert "Python のメモです*1" in event.intro  # keyword link unwrapped
    assert "[Example Conf 2021](https://conf.example.com/2021/)" in event.intro
    assert "conf.example.com](" not in event.intro  # the card's citation is not repeated
    keynote, lightning = event.sessions
    assert (keynote.title, lightning.title) == ("基調講演", "LT")
    assert "### 型ヒントの話" in keynote.body
    assert "#### 補足" in keynote.body and "##### さらに細かい見出し" in keynote.body
    assert "```python\ndef greet(name: str) -> str:" in keynote.body
    assert "2. CI で検査する\n   - mypy を使う" in keynote.body
    assert "alert" not in keynote.body and "<span" not in keynote.body
    assert [i.caption for i in lightning.images] == ["会場の様子"]
    assert "*1: 架空の例です" in lightning.body
    assert lightning.body.endswith("続きの部分もノートに入ります。")  # EXTENDED BODY


def test_an_entry_without_headings_is_one_session_named_by_its_title():
    parsed = entries("features-export.txt")
    entry = next(e for e in parsed.entries if e.basename == "2021/12/31/000500")
    event = parse_note(entry_to_note(entry, BLOG), "x")
    assert event.date == "2021-12-31"  # 12:05:00 AM
    assert [s.title for s in event.sessions] == ["見出しのない短い記事"]
    assert "- 箇条書きも残る" in event.sessions[0].body
    assert event.intro == ""


def test_drafts_are_marked_as_drafts():
    draft = next(e for e in entries("features-export.txt").entries if e.is_draft)
    assert parse_note(entry_to_note(draft, BLOG), "x").draft


def test_broken_html_is_reported_at_its_line_in_the_export():
    parsed = entries("features-export.txt")
    entry = next(e for e in parsed.entries if e.basename == "2021/08/02/broken-html")
    with pytest.raises(ExportError) as caught:
        entry_to_note(entry, BLOG, "features-export.txt")
    assert str(caught.value) == "features-export.txt:120: invalid HTML: <div> is never closed"


def test_the_features_export_reports_its_broken_entries():
    assert [str(e) for e in entries("features-export.txt").errors] == [
        "features-export.txt:95: DATE '13/45/2021 99:00:00': month must be in 1..12",
        "features-export.txt:109: BODY: section not closed by a '-----' line",
    ]


def test_without_a_blog_url_there_is_no_url():
    entry = entries("decode-2020-export.txt").entries[0]
    assert parse_note(entry_to_note(entry), "x").url is None


def test_titles_that_need_quoting_survive_the_front_matter():
    text = "TITLE: a: b #c [d]\nBASENAME: x\n-----\nBODY:\n<p>t</p>\n-----\n--------\n"
    (entry,) = parse_export(text).entries
    assert parse_note(entry_to_note(entry), "x").name == "a: b #c [d]"
