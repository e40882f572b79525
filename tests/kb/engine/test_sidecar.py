"""Each segment's posting arrays hold what whoosh reads from its own files, term for term.

A segment without its arrays, or with arrays that do not read as such, is
read through whoosh's files and answers the same; one whose arrays keep no
positions (written before they did) reads them from whoosh's blocks (phrases
are compared with whoosh's in test_postings.py too).
"""

import itertools
import pickle
import shutil

import numpy as np
import pytest
from whoosh.filedb.filestore import FileStorage

from kb.engine import IndexStore
from kb.engine import postings, sidecar as sidecar_module, sidecar_writer
from kb.engine import query as Q
from kb.engine.compat import SLOW
from kb.engine.sidecar import EXTENSION, Sidecar, gather, sidecar_name
from kb.engine.sidecar_writer import SidecarWriter
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


def whoosh_postings(leaf, fieldname, term, positions=False):
    """(documents, weights) of a term, read by whoosh (deleted documents left out), and
    with ``positions`` each document's positions."""
    matcher = leaf.postings(fieldname, term)
    docs, weights, found = [], [], []
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        if positions:
            found.append(matcher.value_as("positions"))
        matcher.next()
    return (docs, weights, found) if positions else (docs, weights)


def segments(folder):
    """(whoosh's reader of a segment, its sidecar) of each segment of the index in ``folder``."""
    index = IndexStore(folder).open()
    ix = FileStorage(str(index.path)).open_index(indexname=index.name)
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            yield leaf, Sidecar.open(index.path / sidecar_name(leaf._segment))


def assert_same_postings(folder):
    """How many terms were compared, and how many postings of deleted documents were met."""
    compared = deleted = positional = 0
    for leaf, sidecar in segments(folder):
        assert sidecar is not None
        assert sorted(sidecar.fieldnames()) == sorted(leaf.indexed_field_names())
        for fieldname in leaf.indexed_field_names():
            terms = list(leaf.lexicon(fieldname))
            assert sidecar.terms(fieldname) == terms
            has_positions = leaf.schema[fieldname].format.supports("positions")
            assert sidecar.has_positions(fieldname) == has_positions, fieldname
            positional += has_positions
            for term in terms:
                number = sidecar.find(fieldname, term)
                assert sidecar.frequency(fieldname, number) == leaf.doc_frequency(fieldname, term)
                docs, weights, *theirs = whoosh_postings(leaf, fieldname, term, has_positions)
                mine, read = sidecar.postings(fieldname, number)
                # the arrays hold deleted documents too, as whoosh's files do
                live = ~np.isin(mine, list(leaf.deleted_docs_set))
                assert mine[live].tolist() == docs, (fieldname, term)
                assert read[live].tolist() == weights, (fieldname, term)
                if has_positions:
                    rows, found = gather(*sidecar.positions(fieldname, number, read),
                                         np.flatnonzero(live))
                    assert [found[rows == i].tolist() for i in range(len(docs))] == theirs[0]
                deleted += int((~live).sum())
                compared += 1
            assert sidecar.find(fieldname, b"\xff\xffnot a term") == -1
        sidecar.close()
    assert positional
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


def test_positions_of_every_width_read_back():
    writer = SidecarWriter()
    writer.start_field("body")
    # whoosh's values: a 4-byte count, then the gaps between positions pickled
    cases = [([[0], [5, 1]], [1.0, 2.0]),  # counts are the weights
             ([[300, 2], [70000]], [2.0, 1.0]),  # gaps of two and four bytes
             ([[1, 1, 1], [4]], [4.5, 1.5])]  # a boosted field: counts kept apart
    for n, (gaps, weights) in enumerate(cases):
        values = [len(g).to_bytes(4, "big") + pickle.dumps(g, 2) for g in gaps]
        writer.add_term(f"t{n}".encode(), [3, 9], weights, values)
    sidecar = Sidecar(writer.to_bytes())
    assert sidecar.has_positions("body")
    for n, (gaps, _) in enumerate(cases):
        _, weights = sidecar.postings("body", n)
        for wanted in ([0, 1], [1], [0]):
            rows, found = gather(*sidecar.positions("body", n, weights), np.array(wanted))
            expected = [list(itertools.accumulate(gaps[w])) for w in wanted]
            assert [found[rows == i].tolist() for i in range(len(wanted))] == expected


def test_few_postings_are_packed_as_numpy_packs_them():
    def value(gaps):
        return len(gaps).to_bytes(4, "big") + pickle.dumps(gaps, 2)

    cases = [([7], [1.0], None), ([0, 300], [2.0, 1.0], [value([4, 1]), value([9])]),
             ([5, 70000], [3.0, 70000.0], None), ([1, 2], [0.5, 1.25], [value([1]), value([2])]),
             ([2, 9], [4.5, 1.5], [value([1, 1, 1]), value([300])]),
             ([3, 4], [2.0, 1.0], [value([5, -2]), value([0])]),  # a key given back earlier
             (list(range(0, 3 * sidecar_writer.SMALL_TERM, 3)), [1.0] * sidecar_writer.SMALL_TERM,
              None)]
    for docs, weights, values in cases:
        assert sidecar_writer._pack_small(docs, weights, values, sidecar_writer.Gaps()) == \
            sidecar_writer._pack(docs, weights, values, sidecar_writer.Gaps())


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


@pytest.mark.parametrize("share", [1, 10**9, None],
                         ids=["the blocks asked for", "every block", "arrays"])
def test_phrases_read_positions_from_arrays_or_blocks(updated, index_dir, monkeypatch, share):
    # arrays written before positions were kept: a phrase asking few of a term's
    # postings decodes only their blocks; asking many, all
    if share is not None:
        monkeypatch.setattr(sidecar_module, "POSITION_ARRAYS", ("positions kept apart",))
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
            from_arrays = [kept.arrays is not None for kept in fast._arrays._terms.values()
                           if kept.has_positions]
            assert from_arrays and set(from_arrays) == {share is None}
