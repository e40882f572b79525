"""Search quality on judged queries: `make relevance`.

Two sets. The own-notes set (tests/relevance/judgments.yaml, over data/notes
and tests/notes) guards what kb already does; the tests hold it to floors.
The corpus set (benchmarks/judged/queries.yaml) was written by readers who had
not seen the ranking code, over a folder of real notes given with --corpus
(CORPUS=... for make) plus data/notes; it is split into a half that ranking
may be tuned on and a held-out half that is only reported. Each query is run
as a reader would (a did-you-mean suggestion is followed), and nDCG@10,
recall@10 and MRR are printed per kind of query. --verbose lists the queries
of the tuned half that did not score 1; --show-held lists the held-out ones too.
"""

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

from kb.config import load_topics
from kb.engine import IndexStore
from kb.indexer.build import build_index
from kb.records import KIND_SESSION
from kb.relevance import ALSO, FIRST, Judgment, evaluate, parse_judgments, summarize, table
from kb.requests import SearchRequest
from kb.search import SearchService

ROOT = Path(__file__).resolve().parent.parent
OWN_NOTES = [ROOT / "data" / "notes", ROOT / "tests" / "notes"]
OWN_JUDGMENTS = ROOT / "tests" / "relevance" / "judgments.yaml"
CORPUS_JUDGMENTS = ROOT / "benchmarks" / "judged" / "queries.yaml"
HALVES = ("tune", "held")


def session_keys(index_dir):
    """``<note file stem>#<n>`` -> session id, for every session of an index."""
    keys = {}
    with IndexStore(index_dir).open().reader() as reader:
        for doc in reader.documents(KIND_SESSION):
            record = doc["record"]
            keys[f"{Path(record['source']).stem}#{record['position'] + 1}"] = record["id"]
    return keys


def corpus_judgments(text, keys):
    """{half: [Judgment]} of the corpus set, sessions named by key turned into ids."""
    halves = {half: [] for half in HALVES}
    for item in yaml.safe_load(text)["queries"]:
        grades = {keys[k]: ALSO for k in item.get("also") or ()}
        grades.update({keys[k]: FIRST for k in item.get("first") or ()})
        halves[item["half"]].append(Judgment(str(item["q"]), item["kind"], grades))
    return halves


def searcher(service):
    def search(q):
        data = service.search(SearchRequest(q=q, per_page=10)).to_dict()
        return [r["id"] for r in data["results"]], data["suggestion"]
    return search


def failures(scores, out):
    for s in scores:
        if min(s.ndcg, s.recall, s.rr) < 1:
            via = f" -> {s.followed}" if s.followed else ""
            print(f"  {s.judgment.kind}: {s.judgment.q}{via}: nDCG {s.ndcg:.3f} "
                  f"recall {s.recall:.3f} RR {s.rr:.3f}; found {list(s.found[:5])}", file=out)


def zero_answers(scores):
    """Queries with relevant sessions that found nothing at all."""
    return [s.judgment.q for s in scores if s.judgment.grades and not s.found]


def run(corpus=None, verbose=False, show_held=False, out=sys.stdout):
    """Score both sets; returns {set name: scores}."""
    taxonomy, digest = load_topics(ROOT / "data" / "topics.yaml")
    results = {}
    with tempfile.TemporaryDirectory() as own_dir:
        build_index(own_dir, OWN_NOTES, taxonomy, digest, progress=False)
        service = SearchService(own_dir, taxonomy)
        try:
            scores = evaluate(searcher(service), parse_judgments(OWN_JUDGMENTS.read_text("utf-8")))
        finally:
            service.close()
    results["own notes"] = scores
    print("## own notes (tests/relevance/judgments.yaml)\n", file=out)
    print(table(summarize(scores)), file=out)
    if verbose:
        failures(scores, out)
    if corpus is None:
        print("\n(no --corpus: the judged corpus queries were not run)", file=out)
        return results
    with tempfile.TemporaryDirectory() as corpus_dir:
        build_index(corpus_dir, [Path(corpus), ROOT / "data" / "notes"], taxonomy, digest,
                    progress=False)
        halves = corpus_judgments(CORPUS_JUDGMENTS.read_text("utf-8"), session_keys(corpus_dir))
        service = SearchService(corpus_dir, taxonomy)
        try:
            for half in HALVES:
                scores = evaluate(searcher(service), halves[half])
                results[half] = scores
                print(f"\n## corpus, {half} half ({len(scores)} queries)\n", file=out)
                print(table(summarize(scores)), file=out)
                empty = zero_answers(scores)
                print(f"\nqueries with relevant sessions that found nothing: {len(empty)}", file=out)
                if half == "tune" and verbose or half == "held" and show_held:
                    failures(scores, out)
                    if empty:
                        print("  nothing found: " + ", ".join(empty), file=out)
        finally:
            service.close()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.relevance",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", metavar="FOLDER",
                        help="the folder of real notes the corpus set was judged on")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="list the queries of the tuned half that did not score 1")
    parser.add_argument("--show-held", action="store_true",
                        help="list the held-out queries that did not score 1 too")
    args = parser.parse_args(argv)
    run(args.corpus, args.verbose, args.show_held)
    return 0


if __name__ == "__main__":
    sys.exit(main())
