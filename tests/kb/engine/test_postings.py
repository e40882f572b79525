"""Posting arrays answer queries exactly as whoosh's public API does, on real indexes.

Each query is answered twice: by a reader that scores over posting arrays
(whoosh's internals) and by one restricted to whoosh's public API, the
slower path kb takes when an internal is missing.
"""

import numpy as np
import pytest

from kb.engine import IndexStore
from kb.engine import query as Q
from kb.engine.compat import SLOW, capabilities
from kb.indexer.build import build_index
from kb.query import parse_query
from kb.requests import SearchRequest
from kb.search import SearchService

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
    Q.Phrase("title", ["アノテーション", "品質"]),
    Q.ConstantScore(Q.Term("topics", "mlops"), 0.5),
    # a phrase beside one of its words, another inside an Or within: counted unread
    Q.Or([Q.Term("body", "学習"), Q.Or([Q.Phrase("body", ["機械", "学習"]),
                                        Q.Phrase("title", ["アノテーション", "品質"])]),
          Q.Phrase("body", ["データ", "アノテーション"], slop=2)]),
    Q.And([Q.Or([Q.Term("body", "gpu"), Q.Phrase("body", ["モデル", "学習"], slop=3)]),
           Q.ConstantScore(Q.Term("body", "データ"), 0.5)]),
    Q.NOTHING,
    Q.Every(),
]
EMPTY = {Q.Term("title", "存在しない語"), Q.Or([]), Q.NOTHING, Q.Phrase("body", ["学習", "機械"]),
         Q.Phrase("body", ["データ", "アノテーション"]), Q.Phrase("body", ["データ", "存在しない語"])}


@pytest.fixture(scope="module")
def readers(index_dir):
    fast = IndexStore(index_dir).open().reader()
    slow = IndexStore(index_dir, caps=SLOW).open().reader()
    yield fast, slow
    fast.close()
    slow.close()


def assert_same(fast, slow, query):
    mine, theirs = fast.matches(query), slow.matches(query)
    assert mine[0].tolist() == theirs[0].tolist(), query
    # what a count reads: the same documents, unscored
    assert fast.matching(query).tolist() == slow.matching(query).tolist() == theirs[0].tolist()
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12, atol=0, err_msg=repr(query))
    return mine


def test_this_whoosh_is_the_one_kb_reads():
    assert capabilities().fast_postings and capabilities().message is None
    assert "pip install 'whoosh-reloaded==2.7.5'" in SLOW.message


@pytest.mark.parametrize("query", SHAPES, ids=repr)
def test_each_shape_scores_as_whoosh(readers, query):
    docs, _ = assert_same(*readers, query)
    assert bool(len(docs)) == (query not in EMPTY)


@pytest.mark.parametrize("q", ["GPU 推論", "機械学習", "リテール OR MLOps", '"混合精度演算" GPU',
                               "Azure コンテナ -AWS", "アノテ", "title:検索 データ", "りんり",
                               "speaker:一色", "event:decode-2020 GPU", "topic:MLOps", "AI倫理",
                               "Raspberry Pi", "データ分析"])
def test_every_part_of_real_queries_scores_as_whoosh(service, readers, q):
    with service.viewing() as view:
        builder = view.builder
    for fragments in (False, True):
        positive, negative = builder.parts(parse_query(q), fragments)
        for part in positive + negative:
            assert_same(*readers, part)
    whole = builder.build(parse_query(q))  # what did-you-mean counts
    if whole is not None:
        assert_same(*readers, whole)


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
    with IndexStore(tmp_path / "ix").open().reader() as fast, \
            IndexStore(tmp_path / "ix", caps=SLOW).open().reader() as slow:
        assert fast.has_deletions()
        for query in (Q.Term("body", "gpu"), Q.Phrase("body", ["機械", "学習"]),
                      Q.Or([Q.Term("title", "話"), Q.Term("body", "データ")])):
            docs, _ = assert_same(fast, slow, query)
            assert all(fast.stored(n) for n in docs.tolist())
    for caps in (None, SLOW):
        service = SearchService(tmp_path / "ix", topics[0])
        service.store.caps = caps or service.store.caps
        try:
            assert service.search(SearchRequest(q="機械学習")).total == 4
        finally:
            service.close()


def test_postings_kept_are_bounded_and_read_again_when_dropped(index_dir, readers):
    _, slow = readers
    with IndexStore(index_dir).open().reader(max_bytes=200) as small:
        for word in ("gpu", "データ", "azure", "学習", "機械", "モデル"):
            assert_same(small, slow, Q.Term("body", word))
            assert small.postings_held <= 200 or small.postings_kept == 1
        assert_same(small, slow, Q.Phrase("body", ["機械", "学習"]))
        assert_same(small, slow, Q.Term("body", "gpu"))  # dropped before: read again


def test_a_phrase_asked_again_is_kept_and_answers_as_whoosh(index_dir, readers):
    _, slow = readers
    with IndexStore(index_dir).open().reader() as fast:
        phrase = Q.Phrase("body", ["機械", "学習"])
        assert_same(fast, slow, phrase)
        assert fast.postings_kept == 3  # its two words, and what it matched
        # the same words at other weights, beside a phrase that matches nothing, counted
        # unscored: all answered from what was kept
        for again in (phrase, Q.Phrase("body", ["機械", "学習"], boost=2.5),
                      Q.Or([Q.Phrase("body", ["機械", "学習"], boost=0.3),
                            Q.Phrase("body", ["学習", "機械"])])):
            assert_same(fast, slow, again)
        assert fast.postings_kept == 3
        assert_same(fast, slow, Q.Or([Q.Term("title", "gpu"), phrase]))
        assert fast.postings_kept == 4


def test_the_slow_path_searches_like_the_fast_one(index_dir, taxonomy):
    answers = []
    for caps in (None, SLOW):
        service = SearchService(index_dir, taxonomy)
        if caps:
            service.store.caps = caps
        try:
            answers.append([service.search(SearchRequest(q=q)).to_dict()
                            for q in ("GPU 推論", "アノテ", "りんり", "Jenkis", "-GPU")])
        finally:
            service.close()
    assert answers[0] == answers[1]


def test_queries_are_told_apart_by_every_part():
    def word(w):
        return Q.Or([Q.Term(f, w) for f in ("title", "body", "captions", "speakers")])
    assert word("gpu") != word("tpu") and hash(word("gpu")) == hash(word("gpu"))
    assert Q.ConstantScore(Q.Term("topics", "gpu"), 0.5) != Q.ConstantScore(Q.Term("topics", "gpu"), 1.0)
    assert Q.Phrase("body", ["機械", "学習"], slop=1) != Q.Phrase("body", ["機械", "学習"], slop=2)
    assert Q.Or([Q.Term("body", "x")], boost=2.0) != Q.Or([Q.Term("body", "x")])
    assert Q.leaves(Q.AndNot(Q.Or([word("gpu"), Q.Phrase("body", ["a", "b"])]), Q.Term("body", "z"))) \
        == [*word("gpu").subqueries, Q.Phrase("body", ["a", "b"])]
