"""A judged query set: the sessions that should come first, and floors per kind of query.

Success@3 is the share of queries whose first result is judged relevant within
the top three; MRR is the mean reciprocal rank of the first relevant result.
"""

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from kb.search import SearchRequest

JUDGMENTS = Path(__file__).parent / "relevance" / "judgments.yaml"
FLOOR_MRR = 0.9  # overall; measured 1.0 when written
FLOOR_SUCCESS = 0.95


def load():
    data = yaml.safe_load(JUDGMENTS.read_text(encoding="utf-8"))
    names = data["sessions"]
    return [(q["q"], q["kind"], [names[s] for s in q.get("first", [])]) for q in data["queries"]]


def reciprocal_rank(found, relevant):
    for rank, session_id in enumerate(found, start=1):
        if session_id in relevant:
            return 1 / rank
    return 0.0


@pytest.fixture(scope="module")
def scores(service):
    by_kind = defaultdict(list)
    for q, kind, relevant in load():
        found = [r["id"] for r in service.search(SearchRequest(q=q, per_page=10)).to_dict()["results"]]
        if kind == "none":
            by_kind[kind].append(1.0 if not found else 0.0)
        else:
            # the judged sessions should fill the first places
            top = found[:len(relevant)]
            by_kind[kind].append((reciprocal_rank(found, relevant), set(top) == set(relevant)))
    return by_kind


def test_there_are_enough_judged_queries():
    assert len(load()) >= 30


def test_floors(scores):
    rrs = [s[0] for k, v in scores.items() if k != "none" for s in v]
    exact = [s[1] for k, v in scores.items() if k != "none" for s in v]
    mrr = sum(rrs) / len(rrs)
    success = sum(exact) / len(exact)
    assert mrr >= FLOOR_MRR, dict(scores)
    assert success >= FLOOR_SUCCESS, dict(scores)
    assert all(scores["none"]), "a query that should find nothing found something"


@pytest.mark.parametrize("kind", ["exact", "ascii", "compound", "inflection", "variant",
                                  "fragment", "multiword", "phrase"])
def test_every_kind_finds_its_first_session(scores, kind):
    assert all(rr == 1.0 for rr, _ in scores[kind]), scores[kind]
