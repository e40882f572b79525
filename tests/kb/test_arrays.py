"""Posting arrays answer queries exactly as whoosh's matchers do, on real indexes."""

import numpy as np
import pytest
from whoosh import query as Q

from kb.indexer.build import build_index
from kb.arrays import PostingArrays, combine, top_scored
from kb.facets import bitmask, in_mask
from kb.query import parse_query
from kb.ranking import score_matches
from kb.search import SearchRequest, SearchService


def whoosh_matches(searcher, query):
    docs, scores = score_matches(searcher, query)
    order = np.argsort(np.asarray(docs, np.int64), kind="stable")
    return np.asarray(docs, np.int64)[order], np.asarray(scores, np.float64)[order]


def assert_same(searcher, arrays, query):
    mine = arrays.matches(searcher, query)
    theirs = whoosh_matches(searcher, query)
    assert mine[0].tolist() == theirs[0].tolist(), query
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12, atol=0, err_msg=repr(query))
    return mine


SHAPES = [
    Q.Term("body", "gpu"),
    Q.Term("body", "gpu", boost=2.5),
    Q.Term("title", "存在しない語"),
    Q.Term("event_id", "decode-2020"),  # not scored by BM25: whoosh scores its weight
    Q.Or([Q.Term("body", "gpu"), Q.Term("title", "gpu"), Q.Term("captions", "gpu")]),
    Q.Or([Q.Term("body", "gpu"), Q.Term("body", "azure")], boost=0.4),
    Q.Or([Q.Term("body", "gpu")], boost=3.0),  # one subquery: whoosh drops the boost
    Q.Or([]),
    Q.And([Q.Term("body", "gpu"), Q.Term("body", "nvidia")], boost=1.5),
    Q.And([Q.Term("body", "gpu")]),
    Q.AndNot(Q.Term("body", "データ"), Q.Term("body", "gpu")),
    Q.Phrase("body", ["機械", "学習"]),
    Q.Phrase("body", ["混合", "精度", "演算"], boost=4.0),
    Q.Phrase("body", ["学習", "機械"]),  # the wrong order matches nothing
    Q.Phrase("body", ["データ", "アノテーション"]),  # only found with a gap: next line
    Q.Phrase("body", ["データ", "アノテーション"], slop=2),
    Q.Phrase("body", ["モデル", "学習"], slop=3),
    Q.Phrase("body", ["データ", "存在しない語"]),
    Q.Phrase("body_frag", ["アノ", "ノテ"]),
    Q.ConstantScoreQuery(Q.Term("topics", "mlops"), 0.5),
    Q.NullQuery,
    Q.Every(),  # not known to the arrays: whoosh answers
]


@pytest.mark.parametrize("query", SHAPES, ids=repr)
def test_each_shape_scores_as_whoosh(service, query):
    with service.reading() as (searcher, snapshot):
        assert_same(searcher, PostingArrays(searcher), query)


@pytest.mark.parametrize("q", ["GPU 推論", "機械学習", "リテール OR MLOps", '"混合精度演算" GPU',
                               "Azure コンテナ -AWS", "アノテ", "title:検索 データ", "りんり",
                               "speaker:一色", "event:decode-2020 GPU", "topic:MLOps", "AI倫理",
                               "Raspberry Pi", "データ分析"])
def test_every_part_of_real_queries_scores_as_whoosh(service, q):
    with service.reading() as (searcher, snapshot):
        builder = service._reader().builder
        arrays = PostingArrays(searcher)
        for fragments in (False, True):
            positive, negative = builder.parts(parse_query(q), fragments)
            for part in positive + negative:
                assert_same(searcher, arrays, part)


def test_deleted_and_multi_segment_indexes(tmp_path, topics):
    """An index updated in place keeps deleted documents in old segments: they never match."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for i in range(6):
        (notes / f"n{i}.md").write_text(
            f"---\nevent: E{i}\ndate: 2020-0{i + 1}-01\n---\n## 機械学習の話 {i}\n"
            f"機械学習とGPUのデータ分析。{'データ ' * i}\n", encoding="utf-8")
    build_index(tmp_path / "ix", [notes], *topics, progress=False)
    (notes / "n2.md").write_text("---\nevent: E2\n---\n## 別の話\nGPU だけ。\n", encoding="utf-8")
    (notes / "n4.md").unlink()
    build_index(tmp_path / "ix", [notes], *topics, progress=False)
    service = SearchService(tmp_path / "ix", topics[0])
    try:
        with service.reading() as (searcher, snapshot):
            assert searcher.reader().has_deletions()
            arrays = PostingArrays(searcher)
            assert not arrays.live.all()
            for query in (Q.Term("body", "gpu"), Q.Phrase("body", ["機械", "学習"]),
                          Q.Or([Q.Term("title", "話"), Q.Term("body", "データ")])):
                docs, _ = assert_same(searcher, arrays, query)
                assert arrays.live[docs].all()
        found = service.search(SearchRequest(q="機械学習"))
        assert found.total == 4
    finally:
        service.close()


def test_postings_kept_are_bounded(service):
    with service.reading() as (searcher, snapshot):
        arrays = PostingArrays(searcher, max_bytes=200)
        for word in ("gpu", "データ", "azure", "学習", "機械", "モデル"):
            assert_same(searcher, arrays, Q.Term("body", word))
            assert arrays._held <= 200 or len(arrays._terms) == 1
        assert_same(searcher, arrays, Q.Phrase("body", ["機械", "学習"]))
        assert arrays._held == sum(t.size for t in arrays._terms.values())
        # a term dropped is read again when asked for
        assert_same(searcher, arrays, Q.Term("body", "gpu"))


def test_combine_intersects_sums_and_excludes():
    a = (np.array([1, 3, 5, 7]), np.array([1.0, 2.0, 3.0, 4.0]))
    b = (np.array([3, 4, 5]), np.array([10.0, 20.0, 30.0]))
    docs, scores = combine([a, b], [(np.array([5]), np.array([0.0]))], [])
    assert docs.tolist() == [3] and scores.tolist() == [12.0]
    docs, scores = combine([], [(np.array([2]), np.array([0.0]))], [0, 1, 2, 3])
    assert docs.tolist() == [0, 1, 3] and scores.tolist() == [0.0, 0.0, 0.0]


def test_masks_round_trip():
    docs = np.array([0, 7, 8, 200])
    mask = bitmask(docs)
    assert mask == (1 << 0) | (1 << 7) | (1 << 8) | (1 << 200)
    assert in_mask(np.array([0, 1, 8, 200, 5000]), mask).tolist() == [True, False, True, True, False]
    assert bitmask(np.array([], np.int64)) == 0


def test_top_scored_breaks_ties_by_tiebreak_then_number():
    docs = np.array([0, 1, 2, 3, 4, 5])
    scores = np.array([1.0, 3.0, 3.0, 2.0, 3.0, 0.5])
    tiebreak = np.array([0, 5, 9, 0, 5, 0])
    mask = bitmask(np.array([0, 1, 2, 3, 4]))  # 5 is outside the selection
    assert top_scored(docs, scores, mask, 4, tiebreak) == [(2, 3.0), (4, 3.0), (1, 3.0), (3, 2.0)]
    assert top_scored(docs, scores, 0, 4, tiebreak) == []


def test_the_shapes_above_find_what_they_should(service):
    with service.reading() as (searcher, snapshot):
        arrays = PostingArrays(searcher)
        found = {repr(q): len(arrays.matches(searcher, q)[0]) for q in SHAPES}
    empty = {repr(q) for q in (Q.Term("title", "存在しない語"), Q.Or([]), Q.NullQuery,
                               Q.Phrase("body", ["学習", "機械"]),
                               Q.Phrase("body", ["データ", "アノテーション"]),
                               Q.Phrase("body", ["データ", "存在しない語"]))}
    assert {name for name, count in found.items() if not count} == empty


def test_query_keys_tell_apart_what_whoosh_hashes_alike():
    from kb.arrays import query_key

    def word(w):
        return Q.Or([Q.Term(f, w) for f in ("title", "body", "captions", "speakers")])
    assert hash(word("gpu")) == hash(word("tpu"))  # whoosh XORs a word away
    assert query_key(word("gpu")) != query_key(word("tpu"))
    assert query_key(word("gpu")) == query_key(word("gpu"))
    assert query_key(Q.ConstantScoreQuery(Q.Term("topics", "gpu"), 0.5)) != \
        query_key(Q.ConstantScoreQuery(Q.Term("topics", "gpu"), 1.0))
    assert query_key(Q.Phrase("body", ["機械", "学習"], slop=1)) != \
        query_key(Q.Phrase("body", ["機械", "学習"], slop=2))
    assert query_key(Q.Or([Q.Term("body", "x")], boost=2.0)) != \
        query_key(Q.Or([Q.Term("body", "x")]))
