"""The full build against raw fugashi, in the same run: `python -m benchmarks.build`.

    python -m benchmarks.build [--sessions 10000] [--repeat 3] [--prose] [--notes DIR]
                               [--checkout DIR]

Each round times raw fugashi over the corpus and then `kb index --rebuild` of
it, so that a busy machine slows both alike; the ratio of each round is
printed, then their median and spread. With ``--prose`` the same is measured
on plain Japanese prose (Debian's manpages-ja, when installed). With
``--checkout`` another checkout of kb (with its own .venv) is measured in the
same rounds, so that a change is compared with what it changes.
"""

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import count_sessions, make_corpus, prose_corpus
from benchmarks.measure import ROOT, PeakMemory, raw_tokenizer

INDEXED = re.compile(r"(\d+) events, (\d+) sessions")


def children_cpu():
    """Processor seconds of the waited-for child processes (and theirs) so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def kb_rebuild(notes, index, checkout=ROOT):
    """`kb index --rebuild` of a checkout, as a user runs it.

    Returns (seconds, processor seconds of all its processes, peak MB PSS, sessions indexed).
    """
    cpu = children_cpu()
    python = sys.executable if checkout == ROOT else str(Path(checkout) / ".venv" / "bin" / "python")
    start = time.perf_counter()
    proc = subprocess.Popen([python, "-m", "kb", "index", "--rebuild", "--index", str(index),
                             str(Path(notes).resolve())], cwd=checkout,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "KB_TOPICS": str(ROOT / "data" / "topics.yaml")})
    with PeakMemory(proc.pid) as memory:
        out, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"kb index failed:\n{err}")
    found = INDEXED.search(out)
    return seconds, children_cpu() - cpu, memory.peak, int(found.group(2)) if found else None


def load_average():
    """The machine's 1-minute load average, which says how busy the other users kept it."""
    return os.getloadavg()[0]


def paired_ratios(notes, index, repeat, checkouts=(ROOT,)):
    """Raw fugashi, then a full build by each checkout, ``repeat`` times.

    Returns the figures of each round, by checkout. Besides wall time, the
    processor time of each is kept: on a machine busy with other work, the
    build's processor seconds halved (two cores) against raw fugashi's say
    what the wall-time ratio would be on two idle cores, as long as both
    keep busy.
    """
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(notes).rglob("*.md"))]
    rounds = {checkout: [] for checkout in checkouts}
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        raw_tokenizer(texts)
        raw_s, raw_cpu = time.perf_counter() - start, time.process_time() - cpu
        for checkout in checkouts:
            load = load_average()
            build_s, build_cpu, peak, sessions = kb_rebuild(notes, index, checkout)
            rounds[checkout].append({
                "raw_s": raw_s, "build_s": build_s, "ratio": raw_s / build_s,
                "raw_cpu_s": raw_cpu, "build_cpu_s": build_cpu,
                "cpu_ratio": raw_cpu / (build_cpu / 2), "peak_mb": peak, "sessions": sessions,
                "load": load})
            print(f"  {checkout}: " + "raw {raw_s:.1f} s, build {build_s:.1f} s, ratio {ratio:.2f}x; "
                  "processor: raw {raw_cpu_s:.1f} s, build {build_cpu_s:.1f} s, ratio on 2 cores "
                  "{cpu_ratio:.2f}x; peak {peak_mb:.0f} MB, {sessions} sessions indexed, "
                  "load {load:.1f}".format(**rounds[checkout][-1]), file=sys.stderr)
    return rounds


def summary(name, rounds, generated=None):
    """One line: the median ratio and its spread, sessions generated and indexed."""
    ratios = sorted(r["ratio"] for r in rounds)
    cpu = sorted(r["cpu_ratio"] for r in rounds)
    line = (f"{name}: kb index ÷ raw fugashi {statistics.median(ratios):.2f}x "
            f"(runs {' '.join(f'{r:.2f}' for r in ratios)}); by processor time on 2 cores "
            f"{statistics.median(cpu):.2f}x (runs {' '.join(f'{r:.2f}' for r in cpu)}), "
            f"build {statistics.median(r['build_s'] for r in rounds):.1f} s, "
            f"peak {max(r['peak_mb'] for r in rounds):.0f} MB PSS, "
            f"load {min(r['load'] for r in rounds):.1f}-{max(r['load'] for r in rounds):.1f}")
    if generated is not None:
        line += f", sessions generated {generated:,} / indexed {rounds[-1]['sessions']:,}"
    return line


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--prose", action="store_true", help="also plain prose (manpages-ja)")
    parser.add_argument("--notes", help="keep the generated corpus in this folder")
    parser.add_argument("--checkout", action="append", default=[], metavar="DIR",
                        help="also measure the kb of this checkout (with its .venv)")
    parser.add_argument("--source", default=os.environ.get("CORPUS", ""),
                        help="extra folder of real notes to learn the text model from "
                             "(default $CORPUS)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-build-") as work:
        work = Path(work)
        notes = Path(args.notes) if args.notes else work / "notes"
        if not notes.is_dir() or not any(notes.glob("*.md")):
            make_corpus(notes, args.sessions, extra=[args.source] if args.source else ())
        generated = count_sessions(notes)
        checkouts = [ROOT, *(Path(c).resolve() for c in args.checkout)]
        lines = []
        for checkout, rounds in paired_ratios(notes, work / "index", args.repeat,
                                              checkouts).items():
            lines.append(summary(f"{checkout}, {generated:,} sessions", rounds, generated))
        if args.prose:
            prose, reason = prose_corpus(work / "prose")
            if prose is None:
                lines.append(f"prose: skipped ({reason})")
            for checkout, rounds in paired_ratios(prose, work / "prose-index", args.repeat,
                                                  checkouts).items() if prose else ():
                lines.append(summary(f"{checkout}, prose (manpages-ja)", rounds))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
