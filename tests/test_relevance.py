"""The judged query set (tests/relevance/judgments.yaml): floors per kind of query.

Queries run as a reader would run them, following a did-you-mean suggestion
when there is one. `make relevance` prints the same measures as a table.
"""

from pathlib import Path

import pytest

from kb.relevance import evaluate, parse_judgments, summarize
from kb.search import SearchRequest

JUDGMENTS = Path(__file__).parent / "relevance" / "judgments.yaml"
KINDS = ("exact", "ascii", "compound", "inflection", "variant", "fragment", "multiword",
         "phrase", "synonym", "reading", "misspelling", "ranking", "none")
# (nDCG@10, recall@10, MRR) each kind must reach; all measured at 1.000 when written
# except ranking (nDCG 0.978, recall 0.944) and misspelling (nDCG 0.995).
FLOORS = {kind: (0.95, 0.95, 1.0) for kind in KINDS}
FLOORS.update({"ranking": (0.9, 0.9, 1.0), "misspelling": (0.95, 1.0, 1.0)})
FLOOR_OVERALL = (0.97, 0.97, 0.98)


def judgments():
    return parse_judgments(JUDGMENTS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores(service):
    def search(q):
        data = service.search(SearchRequest(q=q, per_page=10)).to_dict()
        return [r["id"] for r in data["results"]], data["suggestion"]
    return evaluate(search, judgments())


@pytest.fixture(scope="module")
def summary(scores):
    return summarize(scores)


def test_the_set_is_large_and_covers_every_kind():
    found = judgments()
    assert len(found) >= 60
    assert {j.kind for j in found} == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_floor_per_kind(summary, scores, kind):
    row = summary[kind]
    weak = [(s.judgment.q, s.found[:3]) for s in scores
            if s.judgment.kind == kind and s.ndcg < 1]
    assert row["ndcg"] >= FLOORS[kind][0] and row["recall"] >= FLOORS[kind][1], weak
    assert row["mrr"] >= FLOORS[kind][2], weak


def test_floor_overall(summary):
    row = summary["overall"]
    assert row["ndcg"] >= FLOOR_OVERALL[0]
    assert row["recall"] >= FLOOR_OVERALL[1]
    assert row["mrr"] >= FLOOR_OVERALL[2]


def test_misspellings_are_followed_through_a_suggestion(scores):
    for s in scores:
        if s.judgment.kind == "misspelling":
            assert s.followed, s.judgment.q
        if s.judgment.kind in ("exact", "ascii", "phrase", "none"):
            assert not s.followed, (s.judgment.q, s.followed)
