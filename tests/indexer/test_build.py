"""Incremental indexing with a real whoosh index in a temporary folder."""

import json
import os

import pytest

from kb.indexer.build import build_index
from kb.indexer.filelist import KEPT, files_path
from kb.errors import IndexBusyError
from kb.search import SearchRequest, SearchService
from kb.engine.store import POINTER, IndexStore
from kb.vocabulary import stored_readings


def note(event, *sessions, date="2021-05-01"):
    body = "".join(f"## {title}\n{text}\n\n" for title, text in sessions)
    return f"---\nevent: {event}\ndate: {date}\n---\n{body}"


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text(note("Alpha", ("GPUの話", "GPUで推論を高速化した"),
                                      ("検索の話", "全文検索エンジン")), encoding="utf-8")
    (folder / "b.md").write_text(note("Beta", ("MLOpsの話", "MLOps基盤")), encoding="utf-8")
    return folder


@pytest.fixture
def build(tmp_path, topics):
    index = tmp_path / "index"

    def run(*paths, **options):
        return build_index(index, list(paths), *topics, progress=False, **options)
    run.index = index
    return run


def ids(index, taxonomy, q=""):
    service = SearchService(index, taxonomy, check_interval=0)
    try:
        return sorted(r["id"] for r in service.search(SearchRequest(q=q, per_page=100)).to_dict()["results"])
    finally:
        service.close()


def test_first_run_indexes_everything(notes, build, taxonomy):
    report = build(notes)
    assert (report.added, report.events, report.sessions, report.rebuilt) == (3, 2, 3, True)
    assert ids(build.index, taxonomy, "GPU") == ["alpha/gpuの話"]


def test_no_op_run_touches_nothing(notes, build):
    build(notes)
    toc = sorted(os.listdir(build.index))
    report = build(notes)
    assert (report.unchanged, report.added, report.updated, report.removed) == (2, 0, 0, 0)
    assert sorted(os.listdir(build.index)) == toc  # no new segment, no new generation


def test_one_changed_file_rewrites_only_its_changed_sessions(notes, build, taxonomy):
    build(notes)
    (notes / "a.md").write_text(note("Alpha", ("GPUの話", "GPUで推論を高速化した"),
                                     ("検索の話", "ベクトル検索を試した")), encoding="utf-8")
    report = build(notes)
    assert (report.unchanged, report.added, report.updated, report.removed) == (1, 0, 1, 0)
    assert ids(build.index, taxonomy, "ベクトル") == ["alpha/検索の話"]
    assert ids(build.index, taxonomy, "全文検索エンジン") == []


def test_removed_file_disappears_but_other_folders_stay(notes, build, tmp_path, taxonomy):
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.md").write_text(note("Gamma", ("Azureの話", "Azure Functions")), encoding="utf-8")
    build(notes)
    build(other)
    (notes / "b.md").unlink()
    report = build(notes)
    assert report.removed == 1
    assert ids(build.index, taxonomy) == ["alpha/gpuの話", "alpha/検索の話", "gamma/azureの話"]


def test_removed_session_disappears(notes, build, taxonomy):
    build(notes)
    (notes / "a.md").write_text(note("Alpha", ("GPUの話", "GPUで推論を高速化した")), encoding="utf-8")
    assert build(notes).removed == 1
    assert ids(build.index, taxonomy) == ["alpha/gpuの話", "beta/mlopsの話"]


def test_a_broken_file_keeps_its_last_good_state(notes, build, taxonomy):
    build(notes)
    (notes / "a.md").write_text("---\nevent: [broken\n---\n", encoding="utf-8")
    (notes / "c.md").write_bytes(b"---\nevent: C\n---\n## \xff\xfe\n")
    (notes / "d.md").write_text(note("Delta", ("新しい話", "本文")), encoding="utf-8")
    report = build(notes)
    assert not report.ok
    assert any(e.startswith(f"{notes / 'a.md'}:2: invalid YAML") for e in report.errors)
    assert any(e.startswith(f"{notes / 'c.md'}:4: not valid UTF-8") for e in report.errors)
    assert ids(build.index, taxonomy) == ["alpha/gpuの話", "alpha/検索の話", "beta/mlopsの話",
                                          "delta/新しい話"]


def test_two_files_claiming_one_event_id(notes, build):
    (notes / "dup.md").write_text(note("Alpha", ("別の話", "本文")), encoding="utf-8")
    report = build(notes)
    assert len(report.errors) == 1 and "already used by" in report.errors[0]


def test_rebuild_starts_from_scratch_and_publishes_atomically(notes, build, tmp_path, taxonomy):
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.md").write_text(note("Gamma", ("Azureの話", "Azure")), encoding="utf-8")
    build(notes)
    build(other)
    old = json.loads((build.index / POINTER).read_text())["name"]
    report = build(notes, rebuild=True)
    assert report.rebuilt
    assert json.loads((build.index / POINTER).read_text())["name"] != old
    assert not any(old in name for name in os.listdir(build.index))
    assert "gamma/azureの話" not in ids(build.index, taxonomy)


def test_a_changed_schema_version_means_a_rebuild(notes, build, tmp_path, taxonomy):
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.md").write_text(note("Gamma", ("Azureの話", "Azure")), encoding="utf-8")
    build(notes)
    build(other)
    pointer = build.index / POINTER
    data = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({**data, "schema_version": -1}))
    report = build(notes)
    assert report.rebuilt
    assert "gamma/azureの話" in ids(build.index, taxonomy)  # notes of other folders carried over


def test_a_changed_taxonomy_retags_unchanged_files(notes, tmp_path):
    from kb.taxonomy import parse_taxonomy
    index = tmp_path / "index"
    before = parse_taxonomy("topics:\n  - id: gpu\n    terms: [GPU]\n")
    after = parse_taxonomy("topics:\n  - id: gpu\n    terms: [GPU]\n  - id: search\n    terms: [検索]\n")
    build_index(index, [notes], before, "before", progress=False)
    report = build_index(index, [notes], after, "after", progress=False)
    assert (report.unchanged, report.updated) == (0, 3)
    service = SearchService(index, after, check_interval=0)
    assert [r["id"] for r in service.search(SearchRequest(topics=("search",))).to_dict()["results"]] \
        == ["alpha/検索の話"]
    service.close()


def test_a_second_writer_is_told_clearly(notes, build):
    build(notes)
    with IndexStore(build.index).lock():
        with pytest.raises(IndexBusyError, match="another 'kb index'"):
            build(notes, wait=0.2)


def test_drafts_are_not_indexed(notes, build, taxonomy):
    (notes / "draft.md").write_text("---\nevent: Draft\ndraft: true\n---\n## s\n", encoding="utf-8")
    build(notes)
    assert not [i for i in ids(build.index, taxonomy) if i.startswith("draft/")]


def test_hidden_and_swap_files_are_skipped(notes, build):
    (notes / ".a.md.swp").write_bytes(b"\x00\x01binary")
    (notes / ".hidden.md").write_text("not a note", encoding="utf-8")
    (notes / "a.md~").write_text("backup", encoding="utf-8")
    assert build(notes).ok


def test_parallel_workers_give_the_same_index(notes, tmp_path, topics):
    for i in range(6):
        (notes / f"extra{i}.md").write_text(note(f"Extra {i}", ("GPUの話", "GPUで推論を高速化した"),
                                                 ("検索の話", f"全文検索エンジン {i}")), encoding="utf-8")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build_index(serial, [notes], *topics, progress=False, procs=1)
    report = build_index(parallel, [notes], *topics, progress=False, procs=2, parallel_chars=0)
    assert (report.added, report.sessions, report.events) == (15, 15, 8)
    with IndexStore(parallel).open().reader() as reader:  # the workers read the words
        assert stored_readings(reader)["推論"] == ["スイロン"]
        # the parent's segment of events has no session columns: a value per document still
        assert len(reader.column("position")) == len(reader.column("date")) == reader.doc_count
    for q in ("", "GPU", "全文検索エンジン", "高速化する"):
        assert ids(parallel, topics[0], q) == ids(serial, topics[0], q)
    service = SearchService(parallel, topics[0], check_interval=0)
    data = service.search(SearchRequest(topics=("gpu",))).to_dict()
    assert data["total"] == 7
    service.close()
    # and the next run, in one process, updates what the workers wrote
    (notes / "extra0.md").unlink()
    assert build_index(parallel, [notes], *topics, progress=False, procs=1).removed == 2


def test_a_running_service_sees_the_new_generation(notes, build, taxonomy):
    build(notes)
    service = SearchService(build.index, taxonomy, check_interval=0)
    before = service.search(SearchRequest(q="ベクトル"))
    assert before.total == 0
    (notes / "a.md").write_text(note("Alpha", ("検索の話", "ベクトル検索を試した")), encoding="utf-8")
    build(notes)
    assert service.search(SearchRequest(q="ベクトル")).total == 1  # not the remembered answer
    service.close()


def test_word_readings_are_kept_per_run_and_merged_now_and_then(notes, build):
    from kb.indexer.build import READINGS_DOCUMENTS
    from kb.records import KIND_READINGS

    build(notes)
    for i in range(READINGS_DOCUMENTS + 2):
        (notes / "c.md").write_text(note("Gamma", ("新しい話", f"語彙{i}番目の単語を追加した")),
                                    encoding="utf-8")
        build(notes)
        with IndexStore(build.index).open().reader() as reader:
            kept = len(reader.docnums(KIND_READINGS))
            readings = stored_readings(reader)
        assert 1 <= kept <= READINGS_DOCUMENTS
        assert readings["推論"] == ["スイロン"]  # from the first run, kept through merges
        assert readings["語彙"] == ["ゴイ"] and readings["追加"] == ["ツイカ"]
    # a run that changes nothing keeps nothing more
    before = kept
    build(notes)
    with IndexStore(build.index).open().reader() as reader:
        assert len(reader.docnums(KIND_READINGS)) == before


def kept_file(index):
    """The file list kept beside the current index (see kb.indexer.filelist)."""
    store = IndexStore(index)
    return files_path(index, store.pointer()["name"])


def test_a_run_reads_the_kept_file_list_of_its_generation(notes, build):
    build(notes)
    kept = kept_file(build.index)
    data = json.loads(kept.read_text(encoding="utf-8"))
    assert sorted(os.path.basename(r["source"]) for r in data["records"]) == ["a.md", "b.md"]
    assert all(set(r) <= set(KEPT) for r in data["records"])
    # the list is what a run reads: a signature it holds that no longer fits means a change
    for record in data["records"]:
        if record["source"].endswith("a.md"):
            record["signature"] = [0, 0]
    kept.write_text(json.dumps(data), encoding="utf-8")
    report = build(notes)
    assert (report.unchanged, report.added, report.updated) == (1, 0, 0)  # a.md read again


def test_a_file_list_of_another_generation_is_not_read(notes, build):
    build(notes)
    kept = kept_file(build.index)
    data = json.loads(kept.read_text(encoding="utf-8"))
    generation = data["generation"]
    kept.write_text(json.dumps({**data, "generation": generation + 7, "records": []}),
                    encoding="utf-8")
    report = build(notes)
    assert (report.unchanged, report.added, report.removed, report.sessions) == (2, 0, 0, 3)
    # a run that changed nothing keeps the list of the generation it read
    assert json.loads(kept.read_text(encoding="utf-8"))["generation"] == generation


def test_a_changed_file_keeps_its_history_through_the_kept_list(notes, build):
    build(notes)
    store = IndexStore(build.index)
    with store.open().reader(check="none") as reader:
        first = reader.document("alpha/gpuの話")["record"]["indexed"]
    (notes / "a.md").write_text(note("Alpha", ("GPUの話", "GPUで推論をさらに高速化した"),
                                     ("検索の話", "全文検索エンジン")), encoding="utf-8")
    assert build(notes).updated == 1
    with store.open().reader(check="none") as reader:
        record = reader.document("alpha/gpuの話")["record"]
    assert record["indexed"] == first  # read from the event's whole stored record
    assert record["text"].startswith("GPUで推論をさらに")
