"""The index folder: files read through memory maps, old compound segments still readable."""

import os

from whoosh.filedb.filestore import FileStorage

from kb.engine.store import STORED_FILE, Descriptor, IndexStore, ReadFile
from kb.indexer.build import build_index
from kb.records import KIND_SESSION
from kb.requests import SearchRequest
from kb.search import SearchService


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


def mapped_files(folder):
    """Files of ``folder`` this process has mapped into memory."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        return {line.split()[-1] for line in maps if str(folder) in line}


def test_a_reader_maps_plain_files_and_closes_them(tmp_path, topics):
    index = small_index(tmp_path, topics)
    assert any(f.endswith(".pst") for f in os.listdir(index)), "segments are plain files"
    with IndexStore(index).open().reader() as reader:
        assert len(reader.docnums(KIND_SESSION)) == 1
        assert reader.doc_count == 3  # the session, its event, its words' readings
        assert len(reader.docs_with("body", "gpu")) == 1
        assert any(name.endswith(".pst") for name in mapped_files(index))
        # records and postings are read by position: the files are open, not mapped
        assert reader.stored(reader.docnums(KIND_SESSION)[0])["record"]["title"] == "GPU の話"
        assert not any(name.endswith(STORED_FILE) for name in mapped_files(index))
        assert any(name.endswith(STORED_FILE) for name in open_files(index))
    assert open_files(index) == []


def test_a_file_read_by_position_reads_as_a_file_and_closes_when_dropped(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(bytes(range(22)))
    file = Descriptor(str(path))
    assert file.read(3) == bytes([0, 1, 2]) and file.tell() == 3
    assert file.seek(4, os.SEEK_CUR) == 7 and file.read(1) == bytes([7])
    assert file.seek(-2, os.SEEK_END) == 20 and file.read() == bytes([20, 21])
    structured = ReadFile(file)
    assert structured.get(8, 2) == bytes([8, 9]) and file.tell() == 22  # get leaves no position
    assert structured.get_byte(9) == 9
    assert open_files(tmp_path) == [str(path)]
    del structured, file
    assert open_files(tmp_path) == []  # dropped without close: closed, and no warning


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
        assert [h.record.title for h in found.hits] == ["GPU の話"]
    finally:
        service.close()
