"""The kb command, run in-process with real indexes."""

import json

import pytest

from kb.cli import main
from kb.search import SearchRequest

from tests.conftest import SAMPLE_NOTES, TOPICS


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_search_json_is_the_services_object(capsys, index_dir, service):
    status, out, _ = run(capsys, "search", "--index", index_dir, "--topics", TOPICS,
                         "--json", "--topic", "GPU", "--year", "2020", "GPU")
    assert status == 0
    data = json.loads(out)
    expected = service.search(SearchRequest(q="GPU", topics=("GPU",), years=("2020",))).to_dict()
    assert data == expected


def test_search_text_for_people(capsys, index_dir):
    status, out, _ = run(capsys, "search", "--index", index_dir, "--topics", TOPICS, "混合精度演算")
    assert status == 0
    assert "session(s)" in out
    assert "[混合]" in out or "[混合精度演算]" in out or "[混合精度]" in out
    assert "\n1. AI とデータ サイエンスを加速する NVIDIA" in out  # the one that writes it whole


def test_empty_query_browses(capsys, index_dir, service):
    status, out, _ = run(capsys, "search", "--index", index_dir, "--json", "--limit", "2")
    data = json.loads(out)
    assert data["total"] == sum(e["session_count"] for e in service.events())
    assert len(data["results"]) == 2


@pytest.mark.parametrize("argv, message", [
    (["--year", "abc"], "year must be four digits"),
    (["--page", "0"], "page must be"),
    (["--topic", "nothing-like-this"], "unknown topic"),
])
def test_bad_parameters_are_one_line_errors(capsys, index_dir, argv, message):
    status, out, err = run(capsys, "search", "--index", index_dir, *argv)
    assert status == 1
    assert err.startswith("kb: error: ") and message in err
    assert "Traceback" not in err


def test_search_without_an_index_says_how_to_add_notes(capsys, tmp_path):
    status, out, err = run(capsys, "search", "--index", tmp_path / "none", "x")
    assert status == 0 and not err
    assert "0 session(s)" in out and "note: no notes are indexed yet" in out


def test_index_reports_and_is_incremental(capsys, tmp_path):
    index = tmp_path / "ix"
    status, out, _ = run(capsys, "index", "--index", index, "--topics", TOPICS, SAMPLE_NOTES)
    assert status == 0 and "1 events, 5 sessions (5 added" in out
    status, out, _ = run(capsys, "index", "--index", index, "--topics", TOPICS, SAMPLE_NOTES)
    assert "1 of 1 files unchanged" in out


def test_index_with_a_bad_note_fails_but_indexes_the_rest(capsys, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text("---\nevent: Good\n---\n## s\ntext\n", encoding="utf-8")
    (notes / "bad.md").write_text("---\nevent: Bad\ndate: 2020-02-30\n---\n", encoding="utf-8")
    status, out, err = run(capsys, "index", "--index", tmp_path / "ix", notes)
    assert status == 1
    assert f"{notes / 'bad.md'}:3: invalid date" in err
    assert "1 events, 1 sessions" in out


def test_index_dir_from_the_environment(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("KB_INDEX_DIR", str(tmp_path / "env-ix"))
    status, _, _ = run(capsys, "index", SAMPLE_NOTES)
    assert status == 0 and (tmp_path / "env-ix" / "kb-index.json").exists()


def test_python_dash_m_kb(tmp_path):
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "kb", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "index" in done.stdout
