"""Opening a generation checks the sums of the files written to since; kb index checks them all."""

import os
import shutil

import pytest

from kb.engine import IndexStore
from kb.errors import IndexDamagedError
from kb.indexer.build import build_index
from kb.requests import SearchRequest
from kb.search import SearchService


def term_file(index):
    name = IndexStore(index).pointer()["name"]
    return next(p for p in sorted(index.iterdir()) if p.name.startswith(name) and p.suffix == ".trm")


def flip(file, keep_time):
    """Change some bytes of ``file`` in place; with ``keep_time``, put its time back."""
    stat = file.stat()
    data = bytearray(file.read_bytes())
    data[len(data) // 3: len(data) // 3 + 64] = b"\xff" * 64
    file.write_bytes(bytes(data))
    if keep_time:
        os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_copied_index_is_served(tmp_path, index_dir, taxonomy):
    copy = tmp_path / "copy"
    shutil.copytree(index_dir, copy, copy_function=shutil.copy)  # new times, same bytes
    service = SearchService(copy, taxonomy)
    try:
        assert service.search(SearchRequest(q="GPU")).total > 0
    finally:
        service.close()


def test_a_file_written_since_is_summed_on_opening(tmp_path, index_dir):
    copy = tmp_path / "copy"
    shutil.copytree(index_dir, copy)
    flip(term_file(copy), keep_time=False)
    with pytest.raises(IndexDamagedError, match="changed since it was written"):
        IndexStore(copy).open().reader(check="changed").close()


def test_kb_index_reads_every_sum(tmp_path, index_dir, topics):
    copy = tmp_path / "copy"
    shutil.copytree(index_dir, copy)
    flip(term_file(copy), keep_time=True)  # as a disk's decay would: size and time unchanged
    IndexStore(copy).open().reader(check="changed").close()  # opening stays cheap
    (tmp_path / "notes").mkdir()
    with pytest.raises(IndexDamagedError):
        build_index(copy, [tmp_path / "notes"], *topics, progress=False)


def test_an_unknown_check_is_refused(index_dir):
    from kb.engine import sums

    with pytest.raises(ValueError, match="read must be one of"):
        sums.check(index_dir, "kb", 1, read="some")
