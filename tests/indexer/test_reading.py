"""Notes read and parsed into a spill, in one process or several, and indexed from it."""

import os
from pathlib import Path

from kb.engine.store import IndexStore
from kb.indexer.build import build_index
from kb.indexer.reading import Spills, read_notes
from kb.indexer.sources import parse_source
from kb.records import KIND_SESSION


def note(event, *titles, date="2021-05-01"):
    body = "".join(f"## {title}\n{title}について話した。GPUで推論した。\n\n" for title in titles)
    return f"---\nevent: {event}\ndate: {date}\n---\n{body}"


def folder_of_notes(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text(note("Alpha", "GPUの話", "検索の話"), encoding="utf-8")
    (folder / "b.md").write_text("---\nevent: Draft\ndraft: true\n---\n## s\n", encoding="utf-8")
    (folder / "c.md").write_bytes("---\nevent: Bad\n---\n## 話\n".encode() + b"\xff\n")
    (folder / "d.md").write_text(note("Delta", "MLOpsの話"), encoding="utf-8")
    return folder


def test_notes_come_back_in_order_with_their_ids_errors_and_events(tmp_path):
    folder = folder_of_notes(tmp_path)
    sources = [str(folder / n) for n in ("a.md", "b.md", "c.md", "d.md", "gone.md")]
    for procs in (1, 2):
        spill = tmp_path / f"spill{procs}"
        spill.mkdir()
        reads = list(read_notes(sources, str(spill), 5.0, procs))
        assert [r.source for r in reads] == sources
        assert [r.event_id for r in reads] == ["alpha", None, None, "delta", None]
        assert [r.error is None for r in reads] == [True, True, False, True, False]
        assert reads[2].error.startswith(f"{folder / 'c.md'}:5: not valid UTF-8 text")
        assert reads[4].error == f"{folder / 'gone.md'}: cannot read: No such file or directory"
        assert (reads[0].sessions, reads[3].sessions) == (2, 1)
        spills = Spills()
        try:
            for read in (reads[0], reads[3]):
                data = Path(read.source).read_bytes()
                assert spills.load(read) == parse_source(data, read.source)
        finally:
            spills.close()


def test_a_big_note_written_by_several_workers_is_whole(tmp_path, topics):
    folder = tmp_path / "notes"
    folder.mkdir()
    titles = [f"第{i}回の話" for i in range(120)]  # more than one worker's stretch
    (folder / "big.md").write_text(note("Big", *titles), encoding="utf-8")
    (folder / "small.md").write_text(note("Small", "GPUの話"), encoding="utf-8")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build_index(serial, [folder], *topics, progress=False, procs=1)
    report = build_index(parallel, [folder], *topics, progress=False, procs=2, parallel_chars=0)
    assert (report.added, report.sessions, report.events) == (121, 121, 2)
    found = {}
    for index in (serial, parallel):
        with IndexStore(index).open().reader() as reader:
            docs = [reader.stored(n) for n in range(reader.doc_count)]
        found[index] = sorted((d["kind"], d["id"]) for d in docs if d["kind"] != "readings")
        events = [d for d in docs if d["kind"] != KIND_SESSION and d["id"] == "big"]
        assert len(events) == 1 and len(events[0]["record"]["sessions"]) == 120
    assert found[serial] == found[parallel]
    # nothing read stays beside the index
    assert not [n for n in os.listdir(parallel) if n.startswith(".kb-read-")]


def test_workers_carry_history_and_report_renamed_sessions(tmp_path, topics):
    folder = tmp_path / "notes"
    folder.mkdir()
    path = folder / "a.md"
    path.write_text(note("Alpha", "GPUの話", "検索の話"), encoding="utf-8")
    index = tmp_path / "index"
    options = dict(progress=False, procs=2, parallel_chars=0)
    build_index(index, [folder], *topics, **options)
    path.write_text(note("Alpha", "GPUの話", "検索エンジンの話"), encoding="utf-8")
    report = build_index(index, [folder], *topics, **options)
    assert report.renamed == [("alpha/検索の話", "alpha/検索エンジンの話")]
    assert (report.added, report.updated, report.removed, report.sessions) == (0, 0, 0, 2)
    with IndexStore(index).open().reader() as reader:
        event = reader.document("alpha")["record"]
    assert event["former"] == {"alpha/検索の話": "alpha/検索エンジンの話"}
