"""Finding and reading note files of every kind: kb notes, static-blog posts, YAML events."""

import os

import pytest

from kb.indexer.sources import find_note_files, parse_source
from kb.errors import NoteError


def test_hugo_toml_front_matter():
    post = b'+++\ntitle = "Hugo Conf"\ndate = 2023-04-05T10:00:00+09:00\ntags = ["go"]\ndraft = false\n+++\n## Talk\nnotes\n'
    event = parse_source(post, "post.md")
    assert (event.name, event.date, event.tags) == ("Hugo Conf", "2023-04-05", ("go",))
    assert [s.title for s in event.sessions] == ["Talk"]


def test_bad_toml_names_the_line():
    with pytest.raises(NoteError, match=r"post.md:3: invalid TOML"):
        parse_source(b'+++\ntitle = "x"\ndate = = 1\n+++\n', "post.md")


def test_jekyll_post_takes_its_date_from_the_file_name():
    event = parse_source(b"---\ntitle: JJUG\ncategories: [java]\n---\n## s\n", "_posts/2015-11-28-jjug.md")
    assert event.date == "2015-11-28"


def test_zenn_and_jekyll_unpublished_posts_are_drafts():
    assert parse_source(b"---\ntitle: t\npublished: false\n---\n", "a.md") is None
    assert parse_source(b"---\ntitle: t\ntopics: [a]\npublished: true\n---\n## s\n", "a.md")


def test_a_post_without_headings_is_one_session():
    event = parse_source(b"---\ntitle: A short post\n---\nAll the notes.\n", "a.md")
    assert [(s.title, s.body) for s in event.sessions] == [("A short post", "All the notes.")]
    assert event.intro == ""


def test_a_kb_note_without_headings_is_an_event_with_an_intro():
    event = parse_source(b"---\nevent: Planned\n---\nSessions to come.\n", "a.md")
    assert event.sessions == () and event.intro == "Sessions to come."


def test_yaml_event_files():
    event = parse_source("event: E\nsessions:\n  - title: T\n".encode(), "e.yaml")
    assert [s.id for s in event.sessions] == ["e/t"]


@pytest.mark.parametrize("data, message", [
    (b"\x00\x01\x02binary", "not a text file"),
    (b"---\nevent: e\n---\n\xff\n", "4: not valid UTF-8"),
])
def test_binary_and_bad_encodings(data, message):
    with pytest.raises(NoteError, match=message):
        parse_source(data, "x.md")


def test_find_skips_hidden_swap_and_other_files(tmp_path):
    (tmp_path / "a.md").write_text("x")
    (tmp_path / "b.yaml").write_text("x")
    (tmp_path / "c.txt").write_text("x")
    (tmp_path / ".d.md.swp").write_text("x")
    (tmp_path / "e.md~").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "f.md").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "g.markdown").write_text("x")
    files, errors = find_note_files(tmp_path)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.md", "b.yaml", "sub/g.markdown"]
    assert errors == []


def test_find_survives_a_symlink_loop(tmp_path):
    (tmp_path / "a.md").write_text("x")
    os.symlink(tmp_path, tmp_path / "loop")
    files, _ = find_note_files(tmp_path)
    assert [f.name for f in files] == ["a.md"]


def test_find_reports_a_missing_path(tmp_path):
    files, errors = find_note_files(tmp_path / "nope")
    assert files == [] and "no such file or folder" in errors[0]
