"""A catalogue of bad notes, each through `kb index` as a user runs it.

A broken note is reported with its file (and line), the other notes are still
indexed, the exit status is 1, and the broken note keeps what was indexed from
it before. Odd but valid notes (a BOM, CRLF, duplicate titles, ...) index as
they should.
"""

import os
import random
import re

import pytest

from kb.indexer.sources import find_note_files

from notefolder import OTHER, OTHER_SESSIONS, TARGET, TARGET_SESSIONS

def _big_note(path):
    # 20 MB of otherwise valid notes
    line = "GPUで機械学習の推論を速くした話。\n".encode()
    path.write_bytes(TARGET.encode() + line * (20_000_000 // len(line)))


def _python_object(path):
    marker = path.parent.parent / "constructed"
    path.write_text(TARGET.replace("event: Target",
                                   f"event: !!python/object/apply:os.system ['touch {marker}']"),
                    encoding="utf-8")


def _symlink_loop(path):
    path.unlink()
    os.symlink(path.name, path)


def _dangling_symlink(path):
    path.unlink()
    os.symlink("nowhere.md", path)


def _fifo(path):
    path.unlink()
    os.mkfifo(path)


# (what, how to break x.md, the message expected after "<path of x.md>")
BROKEN = [
    ("invalid UTF-8", lambda p: p.write_bytes(TARGET.encode() + b"\xff\xfe broken\n"),
     r":8: not valid UTF-8 text \(byte 0xff"),
    ("empty file", lambda p: p.write_bytes(b""), r":1: the file is empty"),
    ("blank file", lambda p: p.write_bytes(b"\n  \n"), r":1: the file is empty"),
    ("no front matter", lambda p: p.write_text("## 題\n本文\n", encoding="utf-8"),
     r":1: no front matter"),
    ("unterminated front matter",
     lambda p: p.write_text("---\nevent: Target\n## 題\n本文\n", encoding="utf-8"),
     r":1: front matter is not closed by a '---' line"),
    ("malformed YAML",
     lambda p: p.write_text("---\nevent: [Target\ndate: 2021-05-01\n---\n## 題\n",
                            encoding="utf-8"),
     r":3: invalid YAML in front matter"),
    ("python object tag", _python_object,
     r":2: invalid YAML in front matter: could not determine a constructor for the tag "
     r"'tag:yaml\.org,2002:python/object/apply:os\.system'"),
    ("a YAML tag without a value",
     lambda p: p.write_text(TARGET.replace("date:", "count: !!int\ndate:"), encoding="utf-8"),
     r":1: invalid YAML in front matter: a value cannot be read as its tag says"),
    # mdit_py_plugins' container rule indexes past the end of this quote
    ("a quoted box left open at the end",
     lambda p: p.write_text(TARGET + "\n> :::message\n>   \n", encoding="utf-8"),
     r": cannot be read: the parser failed on it \(IndexError: "),
    ("20 MB note", _big_note, r": larger than 4 MB, too big for a note"),
    ("binary file", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(4096)),
     r":1: not valid UTF-8 text \(byte 0x89 at offset 0\)"),
    ("NUL bytes", lambda p: p.write_bytes(TARGET.encode() + b"\x00\x00\n"),
     r":8: not a text file \(it contains NUL bytes\)"),
    ("symlink loop", _symlink_loop, r": cannot read: Too many levels of symbolic links"),
    ("dangling symlink", _dangling_symlink, r": cannot read: No such file or directory"),
    # root reads any file whatever its mode: a FIFO cannot be read as a note by anyone
    ("FIFO", _fifo, r": cannot read: not a regular file"),
]


@pytest.mark.parametrize(("what", "break_it", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_note_is_named_and_keeps_its_last_good_state(notes, what, break_it, message):
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS
    (notes.folder / "other.md").write_text(OTHER.replace("別のファイル", "書き直した"),
                                          encoding="utf-8")
    break_it(notes.target)

    status, err = notes.kb_index()
    assert status == 1
    assert re.search(re.escape(str(notes.target)) + message, err), err
    assert "kb: 1 file(s) could not be indexed; they keep what was indexed before" in err
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS
    # the other note's change went in; the broken one still shows its old text
    assert notes.search(q="書き直した").total == 1
    assert notes.search(q="最初に書いた").total == 1
    assert not (notes.folder.parent / "constructed").exists()


def test_an_unreadable_file(notes):
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode; the FIFO and symlink cases "
                    "cover unreadable files there")
    notes.kb_index()
    notes.target.chmod(0)
    try:
        status, err = notes.kb_index()
    finally:
        notes.target.chmod(0o644)
    assert status == 1
    assert f"{notes.target}: cannot read: Permission denied" in err
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS


def test_a_file_name_that_is_not_utf8(notes):
    # bytes that are not UTF-8 in a name reach Python as lone surrogates
    name = os.fsdecode(b"bad\xff.md")
    try:
        (notes.folder / name).write_text(OTHER.replace("id: other", "id: badname"),
                                         encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system takes only UTF-8 names")
    status, err = notes.kb_index()
    assert status == 1
    assert f"{notes.folder}/bad\\xff.md: cannot be indexed: its name is not UTF-8" in err
    assert "Traceback" not in err
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS


def test_a_file_that_vanishes_between_listing_and_reading(notes, monkeypatch):
    notes.kb_index()
    notes.target.write_text(TARGET + "\n## 新しいセッション\n追加。\n", encoding="utf-8")

    def list_then_lose(path):
        # the race made deterministic: the file goes right after the folder was listed
        listing = find_note_files(path)
        notes.target.unlink()
        return listing

    monkeypatch.setattr("kb.indexer.build.find_note_files", list_then_lose)
    status, err = notes.kb_index()
    assert status == 1
    assert f"{notes.target}: cannot read: No such file or directory" in err
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS
    monkeypatch.undo()
    # once the file is gone for good, its sessions go with it
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == OTHER_SESSIONS


def test_a_folder_full_of_bad_notes_indexes_the_good_one(notes):
    notes.target.unlink()
    for i, (_, break_it, _) in enumerate(BROKEN):
        path = notes.write(f"bad-{i:02d}.md", TARGET.replace("id: target", f"id: bad-{i}"))
        break_it(path)
    status, err = notes.kb_index()
    assert status == 1
    reported = [line for line in err.splitlines() if line.startswith(str(notes.folder))]
    assert len(reported) == len(BROKEN)
    for i, (what, _, message) in enumerate(BROKEN):
        assert re.search(re.escape(str(notes.folder / f"bad-{i:02d}.md")) + message, err), what
    assert notes.sessions() == OTHER_SESSIONS


def test_yaml_event_file_with_a_python_tag(notes):
    marker = notes.folder.parent / "constructed"
    notes.write("y.yaml", f"event: !!python/object/apply:os.system ['touch {marker}']\n"
                          "sessions:\n  - title: 題\n")
    status, err = notes.kb_index()
    assert status == 1
    assert re.search(re.escape(str(notes.folder / "y.yaml")) + r":1: invalid YAML: "
                     r"could not determine a constructor", err), err
    assert not marker.exists()


# -- odd but valid ---------------------------------------------------------------------

def test_a_byte_order_mark(notes):
    notes.target.write_bytes(b"\xef\xbb\xbf" + TARGET.encode())
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS
    assert notes.events()["target"]["name"] == "Target"


def test_crlf_line_ends(notes):
    notes.target.write_bytes(TARGET.replace("## 元の内容\n", "## 元の内容\nspeakers: 山田花子\n")
                             .replace("\n", "\r\n").encode())
    assert notes.kb_index() == (0, "")
    hit, = (h.to_dict() for h in notes.search(q="最初").hits)
    assert hit["title"] == "元の内容"
    assert hit["speakers"] == ["山田花子"]
    assert "\r" not in hit["snippet"]


def test_front_matter_only_is_an_event_without_sessions(notes):
    notes.kb_index()
    notes.target.write_text(TARGET.split("## ")[0], encoding="utf-8")
    assert notes.kb_index() == (0, "")
    assert notes.events()["target"]["session_count"] == 0
    assert notes.sessions() == OTHER_SESSIONS


def test_duplicate_session_titles_get_their_own_ids(notes):
    notes.target.write_text(TARGET + "".join(f"\n## 元の内容\n{i}回目の同じ題。\n"
                                             for i in (2, 3)), encoding="utf-8")
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == OTHER_SESSIONS | {"target/元の内容", "target/元の内容-2",
                                                 "target/元の内容-3"}


def test_titles_of_only_symbols_or_emoji(notes):
    notes.target.write_text(TARGET + "\n## 🎉🎉🎉\n絵文字の題。\n\n## ！？…★\n記号の題。\n",
                            encoding="utf-8")
    assert notes.kb_index() == (0, "")
    titles = {h.record.id: h.record.title for h in notes.search(events=("target",)).hits}
    assert titles == {"target/元の内容": "元の内容", "target/session-2": "🎉🎉🎉",
                      "target/session-3": "！？…★"}


def test_ten_thousand_sessions_in_one_file(notes):
    sessions = "".join(f"## 第{i}回のセッション\nGPUの話 {i}\n\n" for i in range(10_000))
    notes.target.write_text(TARGET + sessions, encoding="utf-8")
    assert notes.kb_index() == (0, "")
    assert notes.search(events=("target",)).total == 10_001
    assert notes.search(q="第9999回").hits[0].record.id == "target/第9999回のセッション"


def test_swap_backup_and_binary_files_in_the_folder_are_ignored(notes):
    junk = random.Random(3).randbytes(2048)
    for name in (".x.md.swp", ".x.md.swo", "x.md~", "#x.md#", "4913", "photo.png",
                 "x.md.tmp", ".hidden.md"):
        notes.write(name, junk)
    os.symlink("user@host.1234:1700000000", notes.folder / ".#x.md")  # an Emacs lock
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS


def test_symlink_loops_between_folders_are_not_followed(notes):
    sub = notes.folder / "sub"
    sub.mkdir()
    os.symlink("..", sub / "up")  # a folder loop: notes/sub/up/sub/up/...
    os.symlink("loop-b", notes.folder / "loop-a")
    os.symlink("loop-a", notes.folder / "loop-b")
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == TARGET_SESSIONS | OTHER_SESSIONS
