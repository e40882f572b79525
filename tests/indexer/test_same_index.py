"""The bench's comparison of two indexes: builds of the same notes are the same index."""

import shutil

from benchmarks.same_index import compare
from kb.indexer.build import build_index

from tests.conftest import SAMPLE_NOTES


def test_two_builds_of_the_same_notes_are_the_same_index(tmp_path, topics):
    for name in ("a", "b"):  # each run stamps its own time and readings document
        report = build_index(tmp_path / name, [SAMPLE_NOTES], *topics, progress=False)
        assert report.ok, report.errors
    lines, summary = compare(tmp_path / "a", tmp_path / "b", set())
    assert lines == []
    assert "documents" in summary and "postings" in summary


def test_a_changed_word_is_told(tmp_path, topics):
    notes = tmp_path / "notes"
    shutil.copytree(SAMPLE_NOTES, notes)
    build_index(tmp_path / "a", [notes], *topics, progress=False)
    note = next(notes.glob("*.md"))
    text = note.read_text(encoding="utf-8")
    assert "GPU" in text
    note.write_text(text.replace("GPU", "TPU", 1), encoding="utf-8")
    build_index(tmp_path / "b", [notes], *topics, progress=False)
    lines, _ = compare(tmp_path / "a", tmp_path / "b", set())
    told = "\n".join(lines)
    assert "postings" in told and "tpu" in told  # the new word's postings
    assert "documents" in told  # the record that holds the text
