"""The note format, parsed from strings."""

import pytest

from kb.indexer.notes import MAX_PINNED_SLUG, expand_fotolife, fotolife_url, parse_note
from kb.errors import NoteError
from kb.text import MAX_SLUG, slug_width, slugify

NOTE = """---
event: de:code 2020
date: 2020-06-17
end_date: 2020-06-30
url: https://blog.example.jp/entry/decode
tags: [AI・機械学習]
---
Intro text.

## First talk
speakers: 山田花子, 佐藤一郎
tags: MLOps
anchor: first

- a point

```
## not a heading inside code
```

### Sub-heading
[f:id:misshiki:20200619132403p:plain]
AI倫理審査ボード

## First talk

## 🎉🎉
url: https://video.example.com/1
date: 2020-06-18
"""


def test_front_matter_and_intro():
    event = parse_note(NOTE, "n.md")
    assert (event.id, event.name, event.date, event.end_date) == (
        "de-code-2020", "de:code 2020", "2020-06-17", "2020-06-30")
    assert event.tags == ("AI・機械学習",)
    assert event.intro == "Intro text."
    assert event.year == "2020"


def test_sessions_are_the_level_two_headings_outside_code():
    event = parse_note(NOTE, "n.md")
    assert [s.title for s in event.sessions] == ["First talk", "First talk", "🎉🎉"]
    assert "## not a heading inside code" in event.sessions[0].body
    assert [s.line for s in event.sessions] == [10, 25, 27]


def test_session_metadata_under_the_heading():
    first, _, third = parse_note(NOTE, "n.md").sessions
    assert first.speakers == ("山田花子", "佐藤一郎")
    assert first.tags == ("MLOps",)
    assert first.url == "https://blog.example.jp/entry/decode#first"
    assert not first.body.startswith("speakers")
    assert third.url == "https://video.example.com/1"
    assert third.date == "2020-06-18"
    assert first.date == "2020-06-17"


def test_session_ids_are_readable_and_unique():
    ids = [s.id for s in parse_note(NOTE, "n.md").sessions]
    assert ids == ["de-code-2020/first-talk", "de-code-2020/first-talk-2", "de-code-2020/session-3"]


def test_japanese_titles_keep_readable_slugs():
    note = "---\nevent: x\nid: x\n---\n## アマダの Azure への取り組みと DevOPS・MLOPS 環境\n"
    assert parse_note(note).sessions[0].slug == "アマダの-azure-への取り組みと-devops-mlops-環境"


@pytest.mark.parametrize("title, slug", [
    # a space of the title is where a long slug ends, when it keeps two thirds of it
    ("Azure Cognitive Search で作る、一歩先を行く検索機能 ～富士フイルム IMAGE WORKS 事例～",
     "azure-cognitive-search-で作る-一歩先を行く検索機能"),
    ("1日目注目セッション: Interpretable Machine Learning – Making black box models explainable",
     "1日目注目セッション-interpretable-machine-learning-making"),
    # else where the script changes: after a particle, never inside a verb (動|かす)
    ("機械学習モデルの推論をGPUで動かす方法についての長い長いタイトルでありまして三十文字を超えます",
     "機械学習モデルの推論をgpuで動かす方法についての長い長い"),
    ("2コマ目 S505教室 はてなにおける継続的デプロイメントの現状とこれから",
     "2コマ目-s505教室-はてなにおける継続的デプロイメントの"),
    # one long word is cut where the columns run out
    ("x" * 100, "x" * MAX_SLUG),
    ("短いタイトル", "短いタイトル"),
])
def test_generated_slugs_are_cut_at_a_word_boundary(title, slug):
    note = f"---\nevent: x\nid: x\n---\n## {title}\n"
    found = parse_note(note).sessions[0].slug
    assert found == slug and slug_width(found) <= MAX_SLUG
    assert slugify(title, max_length=None).startswith(found)


def test_a_wide_character_counts_two_columns():
    assert slug_width("gpu") == 3 and slug_width("推論") == 4 and slug_width("ｱ") == 1
    assert slugify("推" * 40) == "推" * 30


def test_long_event_names_make_short_ids_too():
    event = parse_note("---\nevent: " + "とても長いイベントの名前 " * 8 + "\n---\n## s\n")
    assert slug_width(event.id) <= MAX_SLUG and event.sessions[0].id == f"{event.id}/s"


def test_a_slug_set_by_hand_is_kept_as_written():
    pinned = "-".join(["segment"] * 20)  # 159 characters
    note = f"---\nevent: x\nid: x\n---\n## t\nslug: {pinned}\n"
    assert parse_note(note).sessions[0].slug == pinned
    too_long = "a" * (MAX_PINNED_SLUG + 1)
    with pytest.raises(NoteError) as caught:
        parse_note(f"---\nevent: x\nid: x\n---\n## t\nslug: {too_long}\n", "n.md")
    assert caught.value.line == 6
    assert "at most 200" in str(caught.value)


def test_fotolife_references_become_images_with_captions():
    session = parse_note(NOTE, "n.md").sessions[0]
    url = "https://cdn-ak.f.st-hatena.com/images/fotolife/m/misshiki/20200619/20200619132403.png"
    assert session.images[0].url == url
    assert session.images[0].caption == "AI倫理審査ボード"
    assert f"![]({url})" in session.body


def test_fotolife_urls_by_kind():
    assert fotolife_url("misshiki", "20200619", "132403", "j").endswith("/m/misshiki/20200619/20200619132403.jpg")
    assert expand_fotolife("f:id:misshiki:20200619174033g:plain").endswith("20200619174033.gif)")
    assert expand_fotolife("text f:id:x:20200619174033p:plain") == "text f:id:x:20200619174033p:plain"


def test_markdown_image_alt_is_its_caption_without_a_caption_line():
    note = "---\nevent: e\n---\n## t\n![a chart](https://example.com/a.png)\n\n- item\n"
    assert parse_note(note).sessions[0].images[0].caption == "a chart"


def test_title_and_topics_aliases_as_static_blogs_write_them():
    note = "---\ntitle: My post\ncategories: [a]\ntopics: [b, a]\ndate: 2021-01-02T10:00:00+09:00\n---\n## s\n"
    event = parse_note(note)
    assert (event.name, event.tags, event.date) == ("My post", ("b", "a"), "2021-01-02")


def test_drafts_are_marked():
    assert parse_note("---\nevent: e\ndraft: true\n---\n").draft


def test_link_markup_is_dropped_from_titles():
    note = "---\nevent: e\n---\n## Talk ([#ccc_a1](https://twitter.com/search?q=a))\n"
    session = parse_note(note).sessions[0]
    assert session.title == "Talk (#ccc_a1)"
    assert session.slug == "talk-ccc-a1"


@pytest.mark.parametrize("text, line, message", [
    ("no front matter\n", 1, "no front matter"),
    ("", 1, "no front matter"),
    ("---\nevent: e\n", 1, "not closed"),
    ("---\nevent: [unclosed\n---\n", 2, "invalid YAML"),
    ("---\n- a list\n---\n", 2, "mapping"),
    ("---\ndate: 2020-01-01\n---\n", 1, "no 'event'"),
    ("---\nevent: e\ndate: 2020-13-45\n---\n", 3, "invalid date"),
    ("---\nevent: e\nid: a/b\n---\n", 3, "invalid id"),
    ("---\nevent: !!python/object:os.system {}\n---\n", 2, "invalid YAML"),
    ("---\nevent: e\n---\nintro\n##\n", 5, "no title"),
    ("---\nevent: e\n---\n## s\ndate: someday\n", 5, "invalid date"),
])
def test_errors_name_the_line(text, line, message):
    with pytest.raises(NoteError) as caught:
        parse_note(text, "bad.md")
    assert caught.value.line == line
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"bad.md:{line}: ")


def test_crlf_and_bom_are_accepted():
    note = "\ufeff---\r\nevent: e\r\n---\r\n## s\r\nbody\r\n"
    event = parse_note(note)
    assert event.sessions[0].body == "body"
