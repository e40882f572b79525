"""Topic quality on hand-judged sessions: `make relevance` runs it.

Indexes the notes given on the command line (default: data/notes; --corpus adds
a folder) into a temporary folder, and compares each judged session's topics
with the judgments of benchmarks/topics/judgments.yaml. Sessions are keyed
``<file-stem>#<n>``, n the 1-based order of the session in its file. Both
sides are expanded with the topics' parents before counting. Prints precision
and recall per topic and overall (micro-averaged over topic assignments).
With --verbose, also every session whose topics differ from the judgment.
"""

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kb.config import load_topics
from kb.errors import KbError, NoteError
from kb.indexer.build import build_index
from kb.search import SearchService
from kb.taxonomy import load_yaml

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "data" / "notes"
JUDGMENTS = ROOT / "benchmarks" / "topics" / "judgments.yaml"


def parse_judgments(text, source="<string>") -> dict[str, frozenset[str]]:
    """Judged topics by session key, from ``sessions: {key: [topic ids]}``."""
    data = load_yaml(text, source)
    sessions = data.get("sessions") if isinstance(data, dict) else None
    if not isinstance(sessions, dict):
        raise NoteError(source, 1, "judgments are a mapping with a 'sessions:' mapping")
    judged = {}
    for key, topics in sessions.items():
        if "#" not in str(key) or not isinstance(topics, list | None):
            raise NoteError(source, 0, f"{key!r}: write `<file-stem>#<n>: [topic ids]`")
        judged[str(key)] = frozenset(str(t) for t in topics or ())
    return judged


def session_key(record) -> str:
    """A session's key: its file's stem and its 1-based order in the file."""
    return f"{Path(record.source).stem}#{record.position + 1}"


def indexed_sessions(paths, taxonomy, digest) -> dict:
    """Every session record of ``paths``, indexed as `kb index` does, by key."""
    with tempfile.TemporaryDirectory() as index_dir:
        report = build_index(index_dir, paths, taxonomy, digest, progress=False)
        if not report.ok:
            raise KbError("; ".join(str(e) for e in report.errors))
        service = SearchService(index_dir, taxonomy)
        try:
            return {session_key(r): r for e in service.events()
                    for r in service.event(e["id"])["sessions"]}
        finally:
            service.close()


@dataclass
class Count:
    """Assignments of one topic: judged, made, and made rightly."""

    judged: int = 0
    made: int = 0
    right: int = 0

    def precision(self):
        return self.right / self.made if self.made else 1.0

    def recall(self):
        return self.right / self.judged if self.judged else 1.0


def expand(ids, taxonomy):
    """Topic ids with their parents' ids."""
    return set(ids).union(*(taxonomy.ancestors(i) for i in ids))


def compare(judged, made, topic_ids):
    """Counts per topic (and "all") over the judged sessions."""
    counts = {t: Count() for t in (*sorted(topic_ids), "all")}
    for key, truth in judged.items():
        found = made.get(key, set()) & topic_ids
        for topic in truth | found:
            for name in (topic, "all"):
                counts[name].judged += topic in truth
                counts[name].made += topic in found
                counts[name].right += topic in truth and topic in found
    return counts


def table(counts) -> str:
    """Precision and recall per topic, then overall."""
    lines = [f"{'topic':<18} {'judged':>6} {'made':>5} {'right':>5} {'precision':>9} {'recall':>6}"]
    for name, c in counts.items():
        if name == "all":
            lines.append("-" * len(lines[0]))
        lines.append(f"{name:<18} {c.judged:>6} {c.made:>5} {c.right:>5} "
                     f"{c.precision():>9.3f} {c.recall():>6.3f}")
    return "\n".join(lines)


def run(paths, judgments=JUDGMENTS, topics=None, half=None, verbose=False, out=sys.stdout):
    """Index ``paths``, score their judged sessions, print the table; return the counts."""
    taxonomy, digest = load_topics(topics or ROOT / "data" / "topics.yaml")
    judged = parse_judgments(Path(judgments).read_text(encoding="utf-8"), str(judgments))
    records = indexed_sessions(paths, taxonomy, digest)
    judged = {k: expand(v, taxonomy) for k, v in judged.items() if k in records}
    if half:
        # every other file, to tune on one half and check on the other
        files = sorted({k.split("#")[0] for k in judged})
        kept = set(files[half - 1::2])
        judged = {k: v for k, v in judged.items() if k.split("#")[0] in kept}
    made = {k: expand((t.id for t in r.topics), taxonomy) for k, r in records.items()}
    topic_ids = {t.id for t in taxonomy.topics}.union(*judged.values())
    counts = compare(judged, made, topic_ids)
    print(f"{len(judged)} judged sessions of {len(records)} indexed", file=out)
    print(table({k: c for k, c in counts.items() if c.judged or c.made or k == "all"}), file=out)
    if verbose:
        for key, truth in judged.items():
            found = made[key] & topic_ids
            if truth != found:
                print(f"{key} {records[key].title[:40]}: missing {sorted(truth - found)} "
                      f"extra {sorted(found - truth)}", file=out)
    return counts


def main(argv=None) -> int:
    """The command line: paths, --corpus, --judgments, --topics, --half, --verbose."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="note files or folders (default: data/notes)")
    parser.add_argument("--corpus", type=Path, help="a further folder of notes")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS)
    parser.add_argument("--topics", type=Path, help="topic taxonomy (default: data/topics.yaml)")
    parser.add_argument("--half", type=int, choices=(1, 2),
                        help="score only the sessions of every other file (1: the first, 2: the second)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="also list the sessions whose topics differ from the judgment")
    args = parser.parse_args(argv)
    paths = (args.paths or [NOTES]) + ([args.corpus] if args.corpus else [])
    try:
        run(paths, args.judgments, args.topics, args.half, args.verbose)
    except KbError as exc:
        print(f"benchmarks.topics: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
