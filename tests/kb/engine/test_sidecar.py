"""Each segment's posting arrays hold what whoosh reads from its own files, term for term.

A segment without its arrays, or with arrays that do not read as such, is
read through whoosh's files and answers the same. Positions are read from
whoosh's blocks either way (phrases are compared with whoosh's in
test_postings.py).
"""

import shutil

import numpy as np
import pytest
from whoosh.filedb.filestore import FileStorage

from kb.engine import IndexStore
from kb.engine import postings
from kb.engine import query as Q
from kb.engine.compat import SLOW
from kb.engine.sidecar import EXTENSION, Sidecar, SidecarWriter, sidecar_name
from kb.errors import IndexDamagedError
from kb.indexer.build import build_index

# each matches some documents of the index of updated_index
QUERIES = [Q.Term("body", "gpu"), Q.Term("title", "話"), Q.Term("kind", "session"),
           Q.Phrase("body", ["機械", "学習"]), Q.Phrase("body", ["データ", "分析"], slop=2),
           Q.Or([Q.Term("title", "話"), Q.Term("body", "データ")], boost=0.4),
           Q.And([Q.Term("body", "gpu"), Q.Term("body", "データ")])]
RUNS = 7


def updated_index(folder, topics):
    """An index built, then updated seven times: segments merged, documents deleted."""
    notes = folder / "notes"
    notes.mkdir()
    for i in range(8):
        (notes / f"n{i}.md").write_text(
            f"---\nevent: E{i}\ndate: 2020-0{i + 1}-01\n---\n## 機械学習の話 {i}\n"
            f"機械学習とGPUのデータ分析。{'データ ' * i}\n", encoding="utf-8")
    build_index(folder / "ix", [notes], *topics, progress=False)
    for i in range(RUNS):  # each run adds a small segment; whoosh merges the small ones
        (notes / f"n{i}.md").write_text(f"---\nevent: E{i}\n---\n## 別の話 {i}\nGPU だけ。\n",
                                        encoding="utf-8")
        build_index(folder / "ix", [notes], *topics, progress=False)
    return folder / "ix"


@pytest.fixture(scope="module")
def updated(tmp_path_factory, topics):
    return updated_index(tmp_path_factory.mktemp("updated"), topics)


def whoosh_postings(leaf, fieldname, term):
    """(documents, weights) of a term, read by whoosh (deleted documents left out)."""
    matcher = leaf.postings(fieldname, term)
    docs, weights = [], []
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return docs, weights


def segments(folder):
    """(whoosh's reader of a segment, its sidecar) of each segment of the index in ``folder``."""
    index = IndexStore(folder).open()
    ix = FileStorage(str(index.path)).open_index(indexname=index.name)
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            yield leaf, Sidecar.open(index.path / sidecar_name(leaf._segment))


def assert_same_postings(folder):
    """How many terms were compared, and how many postings of deleted documents were met."""
    compared = deleted = 0
    for leaf, sidecar in segments(folder):
        assert sidecar is not None
        assert sorted(sidecar.fieldnames()) == sorted(leaf.indexed_field_names())
        for fieldname in leaf.indexed_field_names():
            terms = list(leaf.lexicon(fieldname))
            assert sidecar.terms(fieldname) == terms
            for term in terms:
                number = sidecar.find(fieldname, term)
                assert sidecar.frequency(fieldname, number) == leaf.doc_frequency(fieldname, term)
                docs, weights = whoosh_postings(leaf, fieldname, term)
                mine, read = sidecar.postings(fieldname, number)
                # the arrays hold deleted documents too, as whoosh's files do
                live = ~np.isin(mine, list(leaf.deleted_docs_set))
                assert mine[live].tolist() == docs, (fieldname, term)
                assert read[live].tolist() == weights, (fieldname, term)
                deleted += int((~live).sum())
                compared += 1
            assert sidecar.find(fieldname, b"\xff\xffnot a term") == -1
        sidecar.close()
    return compared, deleted


def test_the_arrays_hold_what_whoosh_reads_term_by_term(index_dir):
    assert assert_same_postings(index_dir)[0] > 1000


def test_segments_merged_and_updated_in_place_get_arrays(updated):
    assert 1 < len(list(segments(updated))) < 1 + RUNS  # some were merged
    assert assert_same_postings(updated)[1] > 0


def test_weights_of_every_kind_read_back():
    writer = SidecarWriter()
    writer.start_field("body")
    writer.start_field("topics")
    cases = [[1.0, 1.0], [3.0, 200.0], [2.0, 70000.0], [0.5, 1.25], [1e9, 1.0]]
    for n, weights in enumerate(cases):
        writer.add_term(f"t{n}".encode(), [3, 70000 + n], weights)
    sidecar = Sidecar(writer.to_bytes())
    for n, weights in enumerate(cases):
        docs, read = sidecar.postings("topics", n)
        assert docs.tolist() == [3, 70000 + n]
        assert read.tolist() == np.array(weights, np.float32).tolist()
    assert sidecar.terms("body") == [] and sidecar.find("body", b"t0") == -1


@pytest.fixture
def copied(updated, tmp_path):
    shutil.copytree(updated, tmp_path / "ix")
    return tmp_path / "ix"


def sidecars(folder):
    return sorted(folder.glob(f"*{EXTENSION}"))


@pytest.mark.parametrize("how", ["all missing", "missing", "cut", "not one", "empty"])
def test_a_segment_without_readable_arrays_is_read_through_whoosh(copied, how):
    with IndexStore(copied).open().reader() as reader:
        assert all(sidecar for sidecar, _, _ in reader._arrays._sidecars)
    target = sidecars(copied)[0]
    data = target.read_bytes()
    if how == "all missing":
        for path in sidecars(copied):
            path.unlink()
    elif how == "missing":
        target.unlink()
    elif how == "cut":
        target.write_bytes(data[:len(data) // 2])
    elif how == "not one":
        target.write_bytes(b"\0" * len(data))
    else:
        target.write_bytes(b"")
    # sizes and sums compared on opening would tell a cut file: this is the reading
    with IndexStore(copied).open().reader(check="none") as fast, \
            IndexStore(copied, caps=SLOW).open().reader(check="none") as slow:
        if how == "all missing":
            assert fast._arrays._sidecars is None  # the whole index read as it always was
        else:
            assert sum(sidecar is None for sidecar, _, _ in fast._arrays._sidecars) == 1
        for query in QUERIES:
            mine, theirs = fast.matches(query), slow.matches(query)
            assert mine[0].tolist() == theirs[0].tolist() and len(mine[0]), query
            np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12, atol=0)


def test_a_missing_file_of_arrays_is_no_damage_a_changed_one_is(copied):
    target = sidecars(copied)[0]
    data = bytearray(target.read_bytes())
    target.unlink()
    IndexStore(copied).open().reader(check="sums").close()
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(IndexDamagedError):
        IndexStore(copied).open().reader(check="sums")


def test_prefixes_and_frequencies_read_as_whoosh_reads_them(index_dir):
    fast = IndexStore(index_dir).open().reader()
    slow = IndexStore(index_dir, caps=SLOW).open().reader()
    try:
        for fieldname, prefix in [("body", "デ"), ("body", "g"), ("title", "機"), ("body", "ん"),
                                  ("topics", "m"), ("body", "存在しない")]:
            assert fast.expand_prefix(fieldname, prefix, 5) == \
                slow.expand_prefix(fieldname, prefix, 5)
            words = fast.expand_prefix(fieldname, prefix)
            assert [fast.doc_frequency(fieldname, w) for w in words] == \
                [slow.doc_frequency(fieldname, w) for w in words]
        assert fast.doc_frequency("body", "存在しない語") == 0
    finally:
        fast.close()
        slow.close()


@pytest.mark.parametrize("share", [1, 10**9], ids=["the blocks asked for", "every block"])
def test_phrases_read_positions_from_some_blocks_or_all(updated, index_dir, monkeypatch, share):
    # a phrase asking few of a term's postings decodes only their blocks; asking many, all
    monkeypatch.setattr(postings, "FETCH_ALL", share)
    phrases = [Q.Phrase("body", ["機械", "学習"]), Q.Phrase("body", ["データ", "分析"], slop=2),
               Q.Phrase("body", ["混合", "精度", "演算"]), Q.Phrase("title", ["アノテーション", "品質"])]
    for folder in (updated, index_dir):
        with IndexStore(folder).open().reader() as fast, \
                IndexStore(folder, caps=SLOW).open().reader() as slow:
            for query in phrases:
                mine, theirs = fast.matches(query), slow.matches(query)
                assert mine[0].tolist() == theirs[0].tolist(), query
                np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12, atol=0)
                # asked again: what was read is kept
                assert fast.matches(query)[0].tolist() == mine[0].tolist()
