"""`make bench`: indexing and search figures against the limits of this machine.

    python -m benchmarks [--sizes 1000,10000] [--with-100k] [--out FILE] [--source DIR]
                         [--soak-minutes M | --long-soak] [--server-only]

Every ratio is measured in the same run as what it divides by. Figures are
medians of several runs (the 100k corpus, opt-in, runs once). Then `kb serve`
of the 10k index is measured under slow and idle sockets and soaked by a mixed
load (3 minutes; the full 10-minute soak is opt-in).
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from benchmarks.build import paired_ratios, summary
from benchmarks.corpus import MarkovText, count_sessions, make_corpus, prose_corpus, source_texts
from benchmarks.measure import (QUERY_KINDS, PeakMemory, kb_serve, kinds_of_queries,
                                percentile, raw_tokenizer, tree_pss_mb)

ROOT = Path(__file__).resolve().parent.parent
KB = [sys.executable, "-m", "kb"]
QUERIES = 200
FRESH_QUERIES = 18000  # more than 8 clients ask for in 3 x 10 s: none is asked twice



def kb_index(notes, index, *extra):
    """Run `kb index` as a user would; return its peak memory (MB, PSS of the process tree)."""
    proc = subprocess.Popen([*KB, "index", "--index", str(index), *extra, str(notes)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "KB_TOPICS": str(ROOT / "data" / "topics.yaml")})
    with PeakMemory(proc.pid) as memory:
        _, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"kb index failed:\n{err}")
    return memory.peak


def timed(run):
    """Seconds ``run()`` took."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def folder_mb(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20


def corpus_nouns(model, count=3000):
    """The ``count`` commonest nouns of the corpus, commonest first, with their frequencies."""
    from kb.analysis import JapaneseTokenizer

    tokenizer, nouns = JapaneseTokenizer(), Counter()
    for word in list(model.next)[:20000]:
        for _, _, surface, tag, *_ in tokenizer.morphemes(word.strip()):
            if tag.startswith(("名詞,普通", "名詞,固有", "名詞,英字")) and len(surface) > 1:
                nouns[surface] += len(model.next[word])
    words, weights = zip(*nouns.most_common(count))
    return list(words), list(weights)


def make_queries(model, rng, count):
    """Realistic queries: nouns of the corpus, drawn by their frequency; some two-word."""
    words, weights = corpus_nouns(model)
    queries = []
    for _ in range(count):
        picked = rng.choices(words, weights)[0]
        if rng.random() < 0.25:
            picked += " " + rng.choices(words, weights)[0]
        queries.append(picked)
    return queries


def fresh_queries(model, rng, count):
    """Up to ``count`` different queries drawn as :func:`make_queries` draws them.

    Over HTTP each is asked once: no answer or page is remembered for it.
    """
    found = list(dict.fromkeys(make_queries(model, rng, count * 4)))
    rng.shuffle(found)
    return found[:count]


def bench_search(index, model, rng, runs=3):
    """p50/p95 (ms) of the search service per kind of query, each a list of ``runs`` runs.

    Every kind answers with facets counted and ten snippets cut, as a page does.
    Each run asks queries of its own, drawn afresh (popular words come back,
    as they do to a site); a first round, not timed, stands for the searches a
    running server has already answered.
    """
    from kb.config import load_topics
    from kb.search import SearchRequest, SearchService

    words, weights = corpus_nouns(model)
    # no answer cache: every figure is a search actually made
    service = SearchService(index, load_topics(ROOT / "data" / "topics.yaml")[0], cache_size=0)
    service.warm()
    topics = [t.value for t in service.topics()][:12]
    years = [v.value for v in service.search(SearchRequest()).facets["year"]]

    def requests_of_a_run():
        texts = kinds_of_queries(words, weights, rng, QUERIES)
        found = {kind: [SearchRequest(q=q) for q in asked] for kind, asked in texts.items()}
        found["facets selected"] = [
            SearchRequest(q=q, topics=tuple(rng.sample(topics, 2)),
                          years=tuple(rng.sample(years, 2))) for q in texts["one word"]]
        found["facet-only browsing"] = [
            SearchRequest(topics=(rng.choice(topics),), years=(rng.choice(years),),
                          page=rng.randint(1, 3)) for _ in range(QUERIES)]
        return found

    for requests in requests_of_a_run().values():  # the round before
        for request in requests:
            service.search(request)
    figures = {kind: {"p50_ms": [], "p95_ms": []} for kind in QUERY_KINDS}
    everything, misspelt = [], []
    for _ in range(runs):
        requests = requests_of_a_run()
        misspelt.append([r.q for r in requests["misspelling"]])
        for kind in QUERY_KINDS:
            times = []
            for request in requests[kind]:
                start = time.perf_counter()
                service.search(request)
                times.append((time.perf_counter() - start) * 1000)
            figures[kind]["p50_ms"].append(percentile(times, 50))
            figures[kind]["p95_ms"].append(percentile(times, 95))
            everything += times
    figures["all kinds"] = {"p95_ms": [percentile(everything, 95)]}
    figures["did-you-mean"] = bench_did_you_mean(service, misspelt)
    service.close()
    return figures


def bench_did_you_mean(service, runs_of_queries):
    """p50/p95 (ms) of did-you-mean alone on misspelt queries, a run per list of them.

    What a search that found few sessions adds: candidates among the index's
    words, each tried as a query and its sessions counted. ``corrected`` is how
    many of the queries got a suggestion.
    """
    from kb.query import parse_query
    from kb.search import suggest_correction

    figures = {"p50_ms": [], "p95_ms": [], "corrected": []}
    for queries in runs_of_queries:
        times, corrected = [], 0
        for q in queries:
            parsed = parse_query(q)
            with service.viewing() as view:
                start = time.perf_counter()
                corrected += suggest_correction(view, q, parsed, {}, service.english) is not None
                times.append((time.perf_counter() - start) * 1000)
        figures["p50_ms"].append(percentile(times, 50))
        figures["p95_ms"].append(percentile(times, 95))
        figures["corrected"].append(corrected)
    return figures


def bench_http(index, queries, fresh, clients=8, duration=10.0, runs=3):
    """`kb serve` on loopback, ``runs`` times: start-up, load with concurrent clients, memory.

    Loads: ``queries`` asked over and over, as a site's popular searches are,
    with pages kept and without (KB_PAGES_KEPT=0), and asked again with the
    ETag of the first answer; ``fresh`` queries each asked once. Each figure
    is a list of ``runs`` runs.
    """
    from benchmarks.load import run_load

    paths = [f"/search?q={urllib.parse.quote(q)}" for q in queries]
    fresh_paths = [f"/search?q={urllib.parse.quote(q)}" for q in fresh]
    figures = {}

    def add(name, value):
        figures.setdefault(name, []).append(value)

    for run in range(runs):
        fresh_run = fresh_paths[run::runs]  # a server of its own never saw these
        with kb_serve(index) as (base, proc, first):
            add("first_answer_s", first)
            with PeakMemory(proc.pid) as memory:
                add("load", run_load(base, paths, clients=clients, duration=duration))
                add("load_revalidated", run_load(base, paths, clients=clients, duration=duration,
                                                 revalidate=True))
                add("load_fresh", run_load(base, fresh_run, clients=clients, duration=duration))
            add("server_pss_mb", memory.peak)
            add("server_pss_idle_mb", tree_pss_mb(proc.pid))
        with kb_serve(index, env={"KB_PAGES_KEPT": "0"}) as (base, proc, _):
            add("load_unkept", run_load(base, paths, clients=clients, duration=duration))
    figures["fresh_queries"] = len(fresh) // runs
    return figures


def bench_size(size, work, source, http, repeat):
    """All figures for one corpus size."""
    rng = random.Random(size)
    notes, index = work / f"notes-{size}", work / f"index-{size}"
    chars, vocabulary = make_corpus(notes, size, extra=[source] if source else ())
    texts = [p.read_text(encoding="utf-8") for p in sorted(notes.glob("*.md"))]
    figures = {"sessions": size, "chars": chars, "vocabulary": vocabulary}

    raws, builds, peaks = [], [], []
    for _ in range(repeat):  # each build beside a run of the tokenizer alone, in turn
        raws.append(timed(lambda: raw_tokenizer(texts)))
        start = time.perf_counter()
        peaks.append(kb_index(notes, index, "--rebuild"))
        builds.append(time.perf_counter() - start)
    figures.update({
        "raw_chars_per_s": [chars / t for t in raws], "index_chars_per_s": [chars / t for t in builds],
        "index_ratio": [r / b for r, b in zip(raws, builds)], "index_s": builds,
        "index_peak_mb": peaks, "index_mb": folder_mb(index),
        "sessions_generated": count_sessions(notes), "sessions_indexed": index_sessions(index),
    })

    figures["noop_index_s"] = [timed(lambda: kb_index(notes, index)) for _ in range(max(repeat, 3))]
    target = sorted(notes.glob("*.md"))[size // 20]

    def change_one():
        target.write_text(target.read_text(encoding="utf-8") + f"\n追記 {time.time_ns()}\n",
                          encoding="utf-8")
        return kb_index(notes, index)
    figures["one_file_index_s"] = [timed(change_one) for _ in range(max(repeat, 3))]

    model = MarkovText(source_texts([source] if source else ()))
    queries = make_queries(model, rng, QUERIES)
    figures["search"] = bench_search(index, model, rng)
    if http:
        figures["http"] = bench_http(index, queries, fresh_queries(model, rng, FRESH_QUERIES))
    return figures


def spread(values, fmt="{:.1f}"):
    """A figure of several runs: their median, and the lowest and highest in brackets."""
    values = values if isinstance(values, list) else [values]
    middle = fmt.format(statistics.median(values))
    if len(values) < 2:
        return middle
    return f"{middle} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def loads(r, kind, field):
    """One figure of each run of an HTTP load."""
    return [run[field] for run in r["http"][kind]]


def bench_index(index, source, http):
    """The search and HTTP figures of an index built before."""
    size = index_sessions(index)
    rng = random.Random(size)
    model = MarkovText(source_texts([source] if source else ()))
    figures = {"sessions": size, "search": bench_search(index, model, rng)}
    if http:
        figures["http"] = bench_http(index, make_queries(model, rng, QUERIES),
                                     fresh_queries(model, rng, FRESH_QUERIES))
    return figures


def table(results):
    """The figures as a Markdown table, each beside its target, with the spread of the runs."""
    rows = [("figure", *(f"{r['sessions']:,} sessions" for r in results), "target")]

    def row(name, get, target="", fmt="{:.1f}"):
        cells = []
        for r in results:
            try:
                value = get(r)
                cells.append(spread(value, fmt) if value is not None else "–")
            except (KeyError, TypeError):
                cells.append("–")
        rows.append((name, *cells, target))

    row("text (M chars)", lambda r: r["chars"] / 1e6)
    rows.append(("sessions generated / indexed", *(
        "{:,} / {:,}".format(r["sessions_generated"], r["sessions_indexed"])
        if "sessions_generated" in r else "–" for r in results), "all"))
    row("raw fugashi, 1 core (k chars/s)", lambda r: [c / 1e3 for c in r["raw_chars_per_s"]],
        fmt="{:.0f}")
    row("kb index, full build (k chars/s)", lambda r: [c / 1e3 for c in r["index_chars_per_s"]],
        fmt="{:.0f}")
    row("kb index ÷ raw fugashi", lambda r: r["index_ratio"], "≥ 0.8x", "{:.2f}x")
    row("full build (s)", lambda r: r["index_s"])
    row("index size (MB)", lambda r: r["index_mb"], fmt="{:.0f}")
    row("peak memory, indexing (MB PSS)", lambda r: r["index_peak_mb"], "< 2,000 at 100k", "{:.0f}")
    row("no-op kb index (s)", lambda r: r["noop_index_s"], "< 1 s at 10k", "{:.2f}")
    row("one changed file (s)", lambda r: r["one_file_index_s"], "< 2 s at 10k", "{:.2f}")
    rows.append(("search + facets + 10 snippets, in one process:", *("" for _ in results), ""))
    for kind in QUERY_KINDS:
        target = "p95 < 20 ms at 100k; < 10 at 10k" if kind == "misspelling" else \
            "p95 < 10 ms at 10k"
        row(f"    {kind}: p50 (ms)", lambda r, k=kind: r["search"][k]["p50_ms"])
        row("        p95 (ms)", lambda r, k=kind: r["search"][k]["p95_ms"], target)
    row("    all kinds together: p95 (ms)", lambda r: r["search"]["all kinds"]["p95_ms"],
        "< 10 ms at 10k, < 50 ms at 100k")
    row("did-you-mean alone, misspelt queries: p50 (ms)",
        lambda r: r["search"]["did-you-mean"]["p50_ms"])
    row("    p95 (ms)", lambda r: r["search"]["did-you-mean"]["p95_ms"], "< 20 ms at 100k")
    row(f"    queries corrected, of {QUERIES}", lambda r: r["search"]["did-you-mean"]["corrected"],
        fmt="{:.0f}")
    for load, label, target in (
            ("load_fresh", "every query new", "≥ 300 at 10k, ≥ 100 at 100k"),
            ("load", f"{QUERIES} queries asked again and again", "≥ 150 at 10k"),
            ("load_unkept", f"the same, no rendered pages kept", ""),
            ("load_revalidated", "the same, asked again with the ETag (304)", "")):
        row(f"HTTP /search, 8 clients, {label} (req/s)",
            lambda r, k=load: loads(r, k, "requests_per_s"), target, "{:.0f}")
        row("    p50 (ms)", lambda r, k=load: loads(r, k, "p50_ms"))
        row("    p99 (ms)", lambda r, k=load: loads(r, k, "p99_ms"),
            "< 100 at 10k, < 300 at 100k" if load == "load_fresh" else "< 100 ms")
        row("    errors", lambda r, k=load: loads(r, k, "errors"), "0", "{:.0f}")
    row("server memory under load (MB PSS)", lambda r: r["http"]["server_pss_mb"],
        "< 400 at 10k, < 800 at 100k", "{:.0f}")
    row("kb serve to first answer (s)", lambda r: r["http"]["first_answer_s"], "< 3 s", "{:.2f}")
    return markdown(rows)


def markdown(rows):
    """Rows of cells as a Markdown table, the first row its header."""
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def bench_prose(work, repeat):
    """The full build ÷ raw fugashi on plain prose (Debian's manpages-ja): a line, and figures."""
    prose, reason = prose_corpus(work / "prose")
    if prose is None:
        return f"prose: skipped ({reason})", None
    rounds = paired_ratios(prose, work / "prose-index", repeat)[ROOT]
    return summary("prose (manpages-ja)", rounds), rounds


def index_sessions(index):
    """How many sessions an index holds."""
    from kb.config import load_topics
    from kb.search import SearchRequest, SearchService

    service = SearchService(index, load_topics(ROOT / "data" / "topics.yaml")[0])
    try:
        return service.search(SearchRequest()).total
    finally:
        service.close()


def bench_server(index, source, minutes):
    """`kb serve` under slow and idle sockets, then soaked by 16 clients for ``minutes``."""
    from benchmarks.slow import slow_clients
    from benchmarks.soak import soak

    words, _ = corpus_nouns(MarkovText(source_texts([source] if source else ())))
    with kb_serve(index) as (base, proc, _):
        slow = slow_clients(base, pid=proc.pid)
    with kb_serve(index) as (base, proc, _):  # a server of its own: memory from its start
        soaked = soak(base, proc.pid, words, minutes)
    return {"slow_clients": slow, "soak": soaked}


def server_table(server):
    """The slow-client and soak figures as a Markdown table, with the targets beside them."""
    slow, soaked = server["slow_clients"], server["soak"]

    def latencies(load):
        return "{p50_ms:.1f} / {p99_ms:.1f} / {max_ms:.1f}".format(**load)

    return markdown([
        ("figure", f"{server['sessions']:,} sessions", "target"),
        ("other clients, alone: p50 / p99 / max (ms)", latencies(slow["alone"]), ""),
        (f"other clients, with {slow['slow']} slow + {slow['idle']} idle sockets open: "
         "p50 / p99 / max (ms)", latencies(slow["during"]), "max < 1000 ms"),
        ("    errors", slow["during"]["errors"], "0"),
        ("    slow and idle sockets the server kept open", slow["held_open"], ""),
        ("    server PSS before / with them (MB)",
         "{pss_before_mb:.0f} / {pss_held_mb:.0f}".format(**slow), ""),
        (f"soak, {soaked['clients']} clients, mixed load, {soaked['minutes']:g} min (req/s)",
         f"{soaked['load']['requests_per_s']:.0f}", ""),
        ("    p50 / p99 (ms)", "{p50_ms:.1f} / {p99_ms:.1f}".format(**soaked["load"]), ""),
        ("    errors", soaked["load"]["errors"], "0"),
        ("    server PSS at minute 2 / at the end / peak (MB)",
         "{pss_minute_2_mb:.0f} / {pss_end_mb:.0f} / {pss_peak_mb:.0f}".format(**soaked), ""),
        ("    of which its own memory / mapped files read, at minute 2 (MB)",
         "{anon_minute_2_mb:.0f} / {files_minute_2_mb:.0f}".format(**soaked), ""),
        ("    of which its own memory / mapped files read, at the end (MB)",
         "{anon_end_mb:.0f} / {files_end_mb:.0f}".format(**soaked), ""),
        ("    server PSS each minute (MB)", " ".join(map(str, soaked["pss_per_minute_mb"])), ""),
        ("    end ÷ minute 2", f"{soaked['end_over_minute_2']:.2f}", "≤ 1.10"),
    ])


def machine():
    """What the figures were measured on."""
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "platform": platform.platform(), "processor": platform.processor() or platform.machine(),
            "date": time.strftime("%Y-%m-%d")}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes in sessions")
    parser.add_argument("--with-100k", action="store_true", help="also 100,000 sessions (long)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (medians)")
    parser.add_argument("--no-http", action="store_true",
                        help="skip everything that runs kb serve")
    parser.add_argument("--soak-minutes", type=float, default=3.0, metavar="M",
                        help="how long the soak runs (default 3)")
    parser.add_argument("--long-soak", action="store_true", help="soak for 10 minutes")
    parser.add_argument("--server-only", action="store_true",
                        help="only the slow-client and soak figures (on the largest size up to 10k)")
    parser.add_argument("--index", metavar="DIR",
                        help="measure searching and kb serve of this index instead of "
                             "generated ones (no build figures)")
    parser.add_argument("--no-soak", action="store_true",
                        help="skip the slow-client and soak figures")
    parser.add_argument("--no-prose", action="store_true",
                        help="skip the full build of Debian's Japanese manual pages")
    parser.add_argument("--source", default=os.environ.get("CORPUS", ""),
                        help="extra folder of real notes to learn the text model from "
                             "(default $CORPUS)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "out" / "latest.json"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.with_100k:
        sizes.append(100_000)
    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    source = args.source or None
    results, server, prose, prose_line = [], None, None, ""
    try:
        if args.index and not args.server_only:
            results.append(bench_index(Path(args.index), source, not args.no_http))
        for size in [] if args.server_only or args.index else sizes:
            started = time.perf_counter()
            repeat = 1 if size >= 100_000 else args.repeat
            results.append(bench_size(size, work, source, not args.no_http, repeat))
            print(f"{size:,} sessions measured in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
        if not (args.server_only or args.index or args.no_prose):
            prose_line, prose = bench_prose(work, args.repeat)
        if not args.no_http and not args.no_soak:
            size = max([s for s in sizes if s <= 10_000] or sizes[:1])
            index = Path(args.index) if args.index else work / f"index-{size}"
            if args.index:
                size = index_sessions(index)
            elif not index.exists():
                make_corpus(work / f"notes-{size}", size, extra=[source] if source else ())
                kb_index(work / f"notes-{size}", index)
            started = time.perf_counter()
            server = {"sessions": size, **bench_server(
                index, source, 10.0 if args.long_soak else args.soak_minutes)}
            print(f"slow clients and soak measured in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "results": results, "server": server,
                               "prose": prose}, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nMachine: {machine()}\n")
    if results:
        print(table(results))
    if prose_line:
        print(f"\n{prose_line} (target ≥ 0.8x)")
    if server:
        print("\n" + server_table(server))
    print(f"\n(written to {out})")


if __name__ == "__main__":
    main()
