"""A file keeps its identity: however its folder is spelled, and when it is renamed or moved.

Every case runs `kb index` on real notes on disk into a real index.
"""

import os

import pytest

from kb.indexer.identity import settle_ids

from notefolder import OTHER, OTHER_SESSIONS, TARGET, TARGET_SESSIONS

BOTH = TARGET_SESSIONS | OTHER_SESSIONS


def spellings(notes):
    """The same folder written as a user might: relative, dotted, with '..', through a link."""
    link = notes.folder.parent / "link-to-notes"
    link.symlink_to(notes.folder, target_is_directory=True)
    return ["notes", "./notes/", "notes/../notes", str(notes.folder) + "/", str(link),
            "link-to-notes/", str(notes.folder)]


def test_every_spelling_of_a_folder_is_the_same_folder(notes, monkeypatch):
    monkeypatch.chdir(notes.folder.parent)
    for spelled in spellings(notes):
        status, err = notes.kb_index(paths=[spelled])
        assert (status, err) == (0, ""), spelled
        assert notes.sessions() == BOTH, spelled
    # a file removed is removed whichever spelling comes next
    (notes.folder / "other.md").unlink()
    assert notes.kb_index(paths=["notes/../notes"]) == (0, "")
    assert notes.sessions() == TARGET_SESSIONS


def test_a_folder_given_twice_in_two_spellings(notes, monkeypatch):
    monkeypatch.chdir(notes.folder.parent)
    assert notes.kb_index(paths=["notes", "./notes/", "notes/x.md"]) == (0, "")
    assert notes.sessions() == BOTH
    assert len(notes.events()) == 2


def test_a_file_given_through_a_linked_folder(notes, monkeypatch):
    monkeypatch.chdir(notes.folder.parent)
    assert notes.kb_index() == (0, "")
    spellings(notes)
    notes.target.write_text(TARGET.replace("最初に書いた", "書き直した"), encoding="utf-8")
    assert notes.kb_index(paths=["link-to-notes/x.md"]) == (0, "")
    assert notes.search(q="書き直した").total == 1
    assert notes.sessions() == BOTH


def test_a_renamed_note_keeps_its_event_in_one_run(notes):
    assert notes.kb_index() == (0, "")
    notes.target.rename(notes.folder / "a-renamed.md")  # sorts before the other files
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == BOTH
    assert notes.events()["target"]["session_count"] == 1


def test_a_note_moved_into_a_subfolder_keeps_its_event(notes):
    assert notes.kb_index() == (0, "")
    sub = notes.folder / "2021"
    sub.mkdir()
    notes.target.rename(sub / "x.md")
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == BOTH
    # and nothing is left of the old path: a second run changes nothing
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == BOTH


def test_a_note_moved_to_a_folder_indexed_on_its_own(notes):
    assert notes.kb_index() == (0, "")
    elsewhere = notes.folder.parent / "elsewhere"
    elsewhere.mkdir()
    notes.target.rename(elsewhere / "x.md")
    # only the new folder is indexed: the old file is gone, so its id is free to take
    status, err = notes.kb_index(paths=[elsewhere])
    assert (status, err) == (0, "")
    assert notes.sessions() == BOTH
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == BOTH


def test_two_notes_that_swap_event_ids_settle_in_one_run(notes):
    assert notes.kb_index() == (0, "")
    notes.write("x.md", TARGET.replace("id: target", "id: other"))
    notes.write("other.md", OTHER.replace("id: other", "id: target"))
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == {"other/元の内容", "target/ほかのノート"}
    assert notes.kb_index() == (0, "")


def test_a_note_that_takes_a_released_id(notes):
    assert notes.kb_index() == (0, "")
    notes.write("x.md", TARGET.replace("id: target", "id: target-2021"))
    notes.write("new.md", TARGET.replace("最初に書いた", "新しく書いた"))
    assert notes.kb_index() == (0, "")
    assert notes.sessions() == {"target-2021/元の内容", "target/元の内容"} | OTHER_SESSIONS
    assert notes.search(q="新しく書いた").results[0]["id"] == "target/元の内容"


def test_a_real_clash_names_a_file_that_exists_and_keeps_the_holder(notes):
    assert notes.kb_index() == (0, "")
    notes.write("a-copy.md", TARGET.replace("最初に書いた", "写した"))
    status, err = notes.kb_index()
    assert status == 1
    assert (f"{notes.folder / 'a-copy.md'}:1: event id 'target' is already used by "
            f"{notes.target}: give this note its own 'id:'") in err
    assert notes.search(q="最初に書いた").total == 1 and notes.search(q="写した").total == 0


def test_a_clash_with_a_note_that_keeps_its_old_state(notes):
    assert notes.kb_index() == (0, "")
    # x.md breaks (and so keeps id 'target'); other.md wants 'target' at the same time
    notes.write("x.md", TARGET.replace("date: 2021-05-01", "date: 2021-13-01"))
    notes.write("other.md", OTHER.replace("id: other", "id: target"))
    status, err = notes.kb_index()
    assert status == 1
    assert f"{notes.target}:4: invalid date" in err
    assert f"{notes.folder / 'other.md'}:1: event id 'target' is already used by {notes.target}" in err
    assert notes.sessions() == BOTH


@pytest.mark.parametrize("held, claims, incumbents, lost", [
    # a swap
    ({}, {"a": "B", "b": "A"}, {"a": "A", "b": "B"}, {}),
    # the note that had the id keeps it against a newcomer listed first
    ({}, {"0-new": "A", "a": "A"}, {"a": "A"}, {"0-new": "a"}),
    # a loser keeps its old id, which beats the claim that counted on it
    ({"h": "X"}, {"a": "X", "b": "A"}, {"a": "A", "h": "X"}, {"a": "h", "b": "a"}),
    # a draft lets its id go
    ({}, {"a": None, "b": "A"}, {"a": "A"}, {}),
])
def test_settling_ids(held, claims, incumbents, lost):
    assert settle_ids(held, claims, incumbents) == lost


def test_symlinked_note_files_keep_their_own_name(notes):
    real = notes.folder.parent / "kept-elsewhere.md"
    real.write_text(TARGET.replace("id: target", "id: linked"), encoding="utf-8")
    os.symlink(real, notes.folder / "linked.md")
    assert notes.kb_index() == (0, "")
    assert "linked" in notes.events()
    assert notes.events()["linked"]["source"] == str(notes.folder / "linked.md")
