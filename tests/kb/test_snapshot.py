"""The per-generation snapshot: written with the index, read by every service, never required."""

import shutil

import numpy as np
import pytest

from kb.engine import IndexStore
from kb.engine.snapshot import Shelf, Snapshot
from kb.generation import compute_snapshot, store_snapshot
from kb.indexer.build import build_index
from kb.requests import SearchRequest
from kb.search import SearchService

ROOT_NOTES = "data/notes"


def snapshot_of(index_dir):
    with IndexStore(index_dir).open().reader(check="none") as reader:
        return Snapshot(reader.path, reader.generation)


def test_a_build_keeps_a_snapshot_that_services_read_as_computed(index_dir, taxonomy):
    kept = snapshot_of(index_dir)
    assert kept.exists() and {"events", "vocabulary", "titles", "labels"} <= kept.names()
    arrays = kept.arrays()
    assert isinstance(arrays["date_order"], np.memmap)  # mapped, not read into memory
    with IndexStore(index_dir).open().reader(check="none") as reader:
        computed, objects = compute_snapshot(reader)
    for name, array in computed.items():
        assert np.array_equal(arrays[name], array), name
    assert kept.value("vocabulary").words == objects["vocabulary"].words
    assert kept.value("history") == objects["history"]
    events = kept.value("events")
    assert isinstance(events, Shelf)  # each record read when asked for
    assert events == objects["events"] and list(events) == list(objects["events"])
    some = next(iter(objects["events"]))
    assert some in events and events[some] == objects["events"][some] and "nothing" not in events


def test_a_shelf_reads_each_value_alone_and_refuses_a_cut_file(tmp_path):
    values = {"a": {"x": 1}, "b": [2, 3], "c": "三"}
    Shelf.write(tmp_path / "v.shelf", values)
    shelf = Shelf(tmp_path / "v.shelf")
    assert dict(shelf) == values and len(shelf) == 3 and shelf["c"] == "三"
    assert shelf.get("d") is None
    Shelf.write(tmp_path / "empty.shelf", {})
    assert dict(Shelf(tmp_path / "empty.shelf")) == {}
    data = (tmp_path / "v.shelf").read_bytes()
    (tmp_path / "v.shelf").write_bytes(data[:-2])
    with pytest.raises(ValueError, match="v.shelf"):
        Shelf(tmp_path / "v.shelf")


def test_a_service_without_a_snapshot_computes_it_and_keeps_it(tmp_path, index_dir, taxonomy):
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    shutil.rmtree(snapshot_of(copy).folder)
    service = SearchService(copy, taxonomy)
    try:
        first = service.search(SearchRequest(q="GPU")).to_dict()
    finally:
        service.close()
    assert snapshot_of(copy).exists()
    again = SearchService(copy, taxonomy)
    try:
        assert again.search(SearchRequest(q="GPU")).to_dict() == first
        assert [s.to_dict() for s in again.suggest("GPU")]
    finally:
        again.close()


def test_a_folder_that_cannot_be_written_only_costs_time(tmp_path, index_dir, taxonomy):
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    kept = snapshot_of(copy)
    shutil.rmtree(kept.folder)
    kept.folder.write_text("in the way")  # a file where the folder would go
    service = SearchService(copy, taxonomy)
    try:
        assert service.search(SearchRequest(q="GPU")).total > 0
    finally:
        service.close()


def test_a_new_generation_replaces_the_old_snapshot(tmp_path, taxonomy):
    notes = tmp_path / "notes"
    shutil.copytree(ROOT_NOTES, notes)
    index = tmp_path / "index"
    build_index(index, [notes], taxonomy)
    old = snapshot_of(index)
    assert old.exists()
    first = sorted(notes.glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n追記\n", encoding="utf-8")
    build_index(index, [notes], taxonomy)
    store_snapshot(index)
    new = snapshot_of(index)
    assert new.folder != old.folder and new.exists() and not old.exists()


def test_a_snapshot_computed_partly_in_other_processes_is_the_same(tmp_path, index_dir):
    import filecmp
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    copies = []
    for name in ("here", "apart"):
        copy = tmp_path / name
        shutil.copytree(index_dir, copy)
        shutil.rmtree(snapshot_of(copy).folder)
        copies.append(copy)
    store_snapshot(copies[0])
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        store_snapshot(copies[1], pool)
    here, apart = (snapshot_of(c).folder for c in copies)
    names = sorted(p.name for p in here.iterdir())
    assert names == sorted(p.name for p in apart.iterdir())
    assert {"vocabulary.pickle", "titles.pickle"} <= set(names)
    _, mismatch, errors = filecmp.cmpfiles(here, apart, names, shallow=False)
    assert not mismatch and not errors


def test_a_parallel_build_keeps_the_snapshot_computed_in_one_process(tmp_path, taxonomy):
    # its workers start the vocabulary and titles before the generation is checked and
    # published, and the event records read by that check are used again
    import filecmp

    index = tmp_path / "index"
    build_index(index, [ROOT_NOTES], taxonomy, progress=False, procs=2, parallel_chars=0)
    built = snapshot_of(index).folder
    names = sorted(p.name for p in built.iterdir())
    kept = tmp_path / "kept"
    shutil.move(built, kept)
    store_snapshot(index)
    _, mismatch, errors = filecmp.cmpfiles(kept, built, names, shallow=False)
    assert {"vocabulary.pickle", "titles.pickle", "events.shelf"} <= set(names)
    assert not mismatch and not errors
