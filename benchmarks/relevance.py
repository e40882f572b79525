"""Search quality on the judged query set: `make relevance`.

Indexes data/notes and tests/notes into a temporary folder, runs every judged
query of tests/relevance/judgments.yaml (following did-you-mean suggestions,
as a reader would) and prints nDCG@10, recall@10 and MRR per kind of query.
With --verbose, also every query that did not score 1.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from kb.indexer.build import build_index
from kb.config import load_topics
from kb.relevance import evaluate, parse_judgments, summarize, table
from kb.search import SearchRequest, SearchService

ROOT = Path(__file__).resolve().parent.parent
NOTES = [ROOT / "data" / "notes", ROOT / "tests" / "notes"]
JUDGMENTS = ROOT / "tests" / "relevance" / "judgments.yaml"


def run(verbose=False, out=sys.stdout):
    taxonomy, digest = load_topics(ROOT / "data" / "topics.yaml")
    judgments = parse_judgments(JUDGMENTS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as index_dir:
        build_index(index_dir, NOTES, taxonomy, digest, progress=False)
        service = SearchService(index_dir, taxonomy)

        def search(q):
            data = service.search(SearchRequest(q=q, per_page=10)).to_dict()
            return [r["id"] for r in data["results"]], data["suggestion"]

        try:
            scores = evaluate(search, judgments)
        finally:
            service.close()
    print(table(summarize(scores)), file=out)
    if verbose:
        for s in scores:
            if min(s.ndcg, s.recall, s.rr) < 1:
                via = f" -> {s.followed}" if s.followed else ""
                print(f"{s.judgment.kind}: {s.judgment.q}{via}: nDCG {s.ndcg:.3f} "
                      f"recall {s.recall:.3f} RR {s.rr:.3f}; found {list(s.found[:5])}", file=out)
    return scores


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="also list the queries that did not score 1")
    run(parser.parse_args(argv).verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
