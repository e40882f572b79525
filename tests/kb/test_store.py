"""The index folder: files read through memory maps, old compound segments still readable."""

import os

from whoosh.filedb.filestore import FileStorage

from kb.indexer.build import build_index
from kb.search import SearchRequest, SearchService
from kb.store import IndexStore, MappedFile


def open_files(folder):
    """Descriptors of this process open on files in ``folder``."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


def small_index(tmp_path, topics):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("---\nevent: A\n---\n## GPU の話\nGPU と機械学習。\n",
                                encoding="utf-8")
    build_index(tmp_path / "ix", [notes], *topics, progress=False)
    return tmp_path / "ix"


def test_a_searcher_reads_mapped_plain_files_and_closes_them(tmp_path, topics):
    index = small_index(tmp_path, topics)
    assert any(f.endswith(".pst") for f in os.listdir(index)), "segments are plain files"
    ix = IndexStore(index).open()
    with ix.searcher() as searcher:
        leaf = next(iter(searcher.reader().leaf_readers()))[0]
        assert isinstance(leaf._terms._postfile, MappedFile)
        assert searcher.doc_count() == 3  # the session, its event, its words' readings
    assert open_files(index) == []


def test_an_index_of_compound_segments_still_searches_alike(tmp_path, topics):
    """Indexes written before kept each segment in one compound file."""
    small_index(tmp_path, topics)
    pointer = IndexStore(tmp_path / "ix").pointer()
    ix = FileStorage(str(tmp_path / "ix")).open_index(indexname=pointer["name"])
    ix.optimize()  # whoosh's own writer: one compound segment, as older kb wrote
    assert any(f.endswith(".seg") for f in os.listdir(tmp_path / "ix"))
    service = SearchService(tmp_path / "ix", topics[0])
    try:
        found = service.search(SearchRequest(q="機械学習"))
        assert [r["title"] for r in found.results] == ["GPU の話"]
    finally:
        service.close()
