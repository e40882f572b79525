"""Measuring search quality on judged queries: nDCG@10, recall@10 and MRR, per kind.

A judgment names, for one query, the sessions that should come first (grade
2) and those that are also relevant (grade 1); a query judged with none
should find nothing. Queries are run as a reader would: when the answer
carries a did-you-mean suggestion, the suggestion is followed.
"""

import math
from dataclasses import dataclass, field

import yaml

K = 10
FIRST, ALSO = 2, 1  # grades


@dataclass(frozen=True)
class Judgment:
    """A query, its kind and the grade of each relevant session."""

    q: str
    kind: str
    grades: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    """How one query did."""

    judgment: Judgment
    found: tuple
    ndcg: float
    recall: float
    rr: float
    followed: str | None = None  # the suggestion that was followed, if any


def parse_judgments(text) -> list[Judgment]:
    """Judgments from YAML: ``sessions`` (short name -> id) and ``queries``."""
    data = yaml.safe_load(text)
    names = data["sessions"]
    judgments = []
    for item in data["queries"]:
        grades = {names[s]: ALSO for s in item.get("also", ())}
        grades.update({names[s]: FIRST for s in item.get("first", ())})
        judgments.append(Judgment(str(item["q"]), item["kind"], grades))
    return judgments


def dcg(gains) -> float:
    """Discounted cumulative gain of graded gains in rank order."""
    return sum((2 ** g - 1) / math.log2(rank + 1) for rank, g in enumerate(gains, start=1))


def ndcg(found, grades, k=K) -> float:
    """nDCG@k: 1.0 when the best sessions fill the first places in grade order."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(s, 0) for s in found[:k]]) / ideal if ideal else 0.0


def recall(found, grades, k=K) -> float:
    """The share of relevant sessions found in the first k."""
    return len(set(found[:k]) & set(grades)) / len(grades) if grades else 0.0


def reciprocal_rank(found, grades) -> float:
    """1 / the rank of the first relevant session, or 0."""
    for rank, session_id in enumerate(found, start=1):
        if session_id in grades:
            return 1 / rank
    return 0.0


def score(judgment, found, followed=None, k=K) -> Score:
    """Score one query's result ids; a query that should find nothing scores 1 when it does."""
    found = tuple(found)
    if not judgment.grades:
        empty = 0.0 if found else 1.0
        return Score(judgment, found, empty, empty, empty, followed)
    return Score(judgment, found, ndcg(found, judgment.grades, k),
                 recall(found, judgment.grades, k), reciprocal_rank(found, judgment.grades),
                 followed)


def evaluate(search, judgments, k=K) -> list[Score]:
    """Scores of every judgment; ``search(q)`` returns (result ids, suggestion or None)."""
    scores = []
    for judgment in judgments:
        found, suggestion = search(judgment.q)
        if suggestion:  # as a reader would: follow the did-you-mean link
            found, _ = search(suggestion)
        scores.append(score(judgment, found[:k], suggestion, k))
    return scores


def summarize(scores) -> dict[str, dict[str, float]]:
    """Per kind (in order of first appearance) and overall: queries, nDCG, recall, MRR."""
    kinds = {}
    for s in scores:
        kinds.setdefault(s.judgment.kind, []).append(s)
    kinds["overall"] = list(scores)
    return {kind: {"queries": len(group),
                   "ndcg": sum(s.ndcg for s in group) / len(group),
                   "recall": sum(s.recall for s in group) / len(group),
                   "mrr": sum(s.rr for s in group) / len(group)}
            for kind, group in kinds.items() if group}


def table(summary) -> str:
    """The summary as a Markdown table."""
    lines = ["| kind | queries | nDCG@10 | recall@10 | MRR |", "|---|---:|---:|---:|---:|"]
    for kind, row in summary.items():
        lines.append(f"| {kind} | {row['queries']} | {row['ndcg']:.3f} | "
                     f"{row['recall']:.3f} | {row['mrr']:.3f} |")
    return "\n".join(lines)
