import shutil
from pathlib import Path

import pytest

from kb.indexer.importing import (
    ImportReport,
    import_hatena,
    importer_origin,
    mark_note,
    plan_hatena_notes,
)
from kb.indexer.movabletype import ExportError
from kb.indexer.notes import parse_note

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hatena"
BLOG = "https://blog.example.jp"

ENTRY = """\
TITLE: {title}
BASENAME: {basename}
STATUS: {status}
DATE: 07/04/2021 10:00:00
CATEGORY: {category}
-----
BODY:
<h3>{title}</h3>
<p>notes</p>
-----
--------
"""


def entry(title="Talk", basename="2021/07/04/talk", status="Publish", category="イベント"):
    return ENTRY.format(title=title, basename=basename, status=status, category=category)


@pytest.fixture
def export(tmp_path):
    def write(*entries):
        path = tmp_path / "export.txt"
        path.write_text("".join(entries), encoding="utf-8")
        return path

    return write


def names(paths):
    return sorted(p.name for p in paths)


def test_mark_and_origin_round_trip():
    note = "---\nevent: x\n---\n## s\n"
    marked = mark_note(note, "hatena:a/b")
    assert marked.startswith("---\nevent: x\nimported_from: hatena:a/b\nimport_hash: sha256:")
    assert marked.endswith("---\n## s\n")
    assert importer_origin(marked) == "hatena:a/b"
    assert importer_origin(marked.replace("## s", "## edited")) is None
    assert importer_origin(note) is None
    assert importer_origin("no front matter") is None


def test_import_writes_one_note_per_entry(tmp_path, export):
    path = export(entry(), entry("ドラフト", "2021/07/05/draft", "Draft"))
    out = tmp_path / "notes"
    report = import_hatena(path, out, blog_url=BLOG)
    assert names(report.written) == ["2021-07-04-talk.md"]
    assert report.left_out == 1 and report.ok
    event = parse_note((out / "2021-07-04-talk.md").read_text("utf-8"), "x")
    assert event.url == f"{BLOG}/entry/2021/07/04/talk"
    assert [s.title for s in event.sessions] == ["Talk"]


def test_drafts_on_request(tmp_path, export):
    path = export(entry(), entry("ドラフト", "2021/07/05/draft", "Draft"))
    report = import_hatena(path, tmp_path / "notes", include_drafts=True)
    assert names(report.written) == ["2021-07-04-talk.md", "2021-07-05-draft.md"]


def test_categories_choose_entries(tmp_path, export):
    path = export(entry(), entry("Other", "2021/07/06/other", category="旅行"))
    report = import_hatena(path, tmp_path / "notes", categories=["旅行"])
    assert names(report.written) == ["2021-07-06-other.md"]
    assert report.left_out == 1


def test_reimport_updates_without_duplicating(tmp_path, export):
    out = tmp_path / "notes"
    import_hatena(export(entry()), out)
    again = import_hatena(export(entry()), out)
    assert names(again.unchanged) == ["2021-07-04-talk.md"]
    assert again.written == again.updated == ()
    changed = import_hatena(export(entry(title="Talk, revised")), out)
    assert names(changed.updated) == ["2021-07-04-talk.md"]
    assert names(out.iterdir()) == ["2021-07-04-talk.md"]
    assert "Talk, revised" in (out / "2021-07-04-talk.md").read_text("utf-8")


def test_edited_and_hand_written_notes_are_never_overwritten(tmp_path, export):
    out = tmp_path / "notes"
    import_hatena(export(entry(), entry("B", "2021/07/05/b")), out)
    edited = (out / "2021-07-04-talk.md").read_text("utf-8").replace("notes", "my notes")
    (out / "2021-07-04-talk.md").write_text(edited, encoding="utf-8")
    (out / "2021-07-05-b.md").write_text("---\nevent: mine\n---\n", encoding="utf-8")
    report = import_hatena(export(entry(title="New"), entry("B2", "2021/07/05/b")), out)
    assert [(s.path.name, s.reason) for s in report.skipped] == [
        ("2021-07-04-talk.md", "written or edited by hand; not replaced"),
        ("2021-07-05-b.md", "written or edited by hand; not replaced"),
    ]
    assert report.ok  # leaving a user's file alone is not a failure
    assert (out / "2021-07-04-talk.md").read_text("utf-8") == edited
    assert (out / "2021-07-05-b.md").read_text("utf-8") == "---\nevent: mine\n---\n"


def test_a_note_imported_from_another_entry_is_not_replaced(tmp_path, export):
    out = tmp_path / "notes"
    import_hatena(export(entry(basename="a/b")), out)
    report = import_hatena(export(entry(basename="a-b")), out)
    assert [s.reason for s in report.skipped] == ["imported from hatena:a/b, not hatena:a-b"]


def test_basenames_that_clean_to_one_name_get_two_files(tmp_path, export):
    out = tmp_path / "notes"
    report = import_hatena(export(entry(basename="a/b"), entry(basename="a:b")), out)
    assert len(report.written) == 2
    ids = {parse_note(p.read_text("utf-8"), p.name).id for p in report.written}
    assert len(ids) == 2


def test_broken_entries_are_reported_and_the_rest_imported(tmp_path):
    export_path = tmp_path / "features-export.txt"
    shutil.copy(FIXTURES / "features-export.txt", export_path)
    report = import_hatena(export_path, tmp_path / "notes", blog_url=BLOG)
    assert names(report.written) == ["2021-12-31-000500.md", "カンファレンス-参加メモ.md"]
    assert not report.ok
    assert [(e.line, e.message) for e in report.errors] == [
        (95, "DATE '13/45/2021 99:00:00': month must be in 1..12"),
        (109, "BODY: section not closed by a '-----' line"),
        (120, "invalid HTML: <div> is never closed"),
    ]
    assert all(str(e).startswith(f"{export_path}:") for e in report.errors)


def test_report_lines():
    report = ImportReport(
        written=(Path("n/a.md"),),
        errors=(ExportError("x.txt", 3, "bad"),),
        left_out=2,
    )
    assert report.lines() == [
        "wrote n/a.md",
        "error: x.txt:3: bad",
        "1 written, 0 updated, 0 unchanged, 0 skipped, 1 errors; 2 entries left out",
    ]


def test_an_unreadable_export_is_one_error(tmp_path):
    with pytest.raises(ExportError, match="cannot read the export"):
        import_hatena(tmp_path / "missing.txt", tmp_path / "notes")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"TITLE: ok\n\xe9\n")
    with pytest.raises(ExportError, match=r"latin1.txt:2: the export is not UTF-8"):
        import_hatena(bad, tmp_path / "notes")


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + entry().encode("utf-8"))
    assert len(import_hatena(path, tmp_path / "notes").written) == 1


def test_plan_is_pure_and_ordered_by_line():
    text = (FIXTURES / "features-export.txt").read_bytes().decode("utf-8")
    notes, errors, left_out = plan_hatena_notes(text, "f.txt", BLOG)
    assert [n.file_name for n in notes] == ["カンファレンス-参加メモ.md", "2021-12-31-000500.md"]
    assert [e.line for e in errors] == [95, 109, 120]
    assert left_out == 1
