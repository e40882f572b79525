"""Measuring tools for the benchmarks: timings, percentiles, process-tree memory, a server."""

import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def raw_tokenizer(texts):
    """fugashi + unidic-lite, iterating words and reading each lemma: the indexing limit per core."""
    import fugashi

    tagger = fugashi.Tagger()
    for text in texts:
        for word in tagger(text):
            _ = word.feature.lemma  # reading it is the cost being measured


def median_time(run, repeat):
    """Median wall time of ``run()`` over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def percentile(values, p):
    """The p-th percentile (0-100) of a list of numbers, nearest rank."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fp:
                    fields = fp.read().rsplit(b")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def tree_pss_mb(pid, kind="Pss"):
    """Proportional memory (PSS, MB) of a process and its descendants.

    PSS shares memory-mapped files such as the 180 MB UniDic dictionary among
    the processes that map them, so the sum is what the tree really costs.
    ``kind`` "Pss_Anon" counts only the processes' own memory, "Pss_File"
    only the mapped files (the dictionary, the index) they have read.
    """
    total, stack, prefix = 0, [pid], kind + ":"
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as fp:
                for line in fp:
                    if line.startswith(prefix):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        stack.extend(_children(current))
    return total / 1024


class Ticker:
    """Calls ``tick()`` at once and then every ``interval`` seconds, in a thread, while in a with block."""

    def __init__(self, interval):
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def tick(self):
        raise NotImplementedError

    def _run(self):
        self.tick()
        while not self._stop.wait(self.interval):
            self.tick()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class PeakMemory(Ticker):
    """Samples a process tree's PSS; ``samples`` are (seconds since start, MB), ``peak`` the highest.

    With ``parts``, ``anon`` and ``files`` hold the same samples of its own
    memory and of its mapped files.
    """

    def __init__(self, pid, interval=0.2, parts=False):
        super().__init__(interval)
        self.pid, self.parts, self._start = pid, parts, time.monotonic()
        self.samples, self.anon, self.files = [], [], []

    def tick(self):
        now = time.monotonic() - self._start
        self.samples.append((now, tree_pss_mb(self.pid)))
        if self.parts:
            self.anon.append((now, tree_pss_mb(self.pid, "Pss_Anon")))
            self.files.append((now, tree_pss_mb(self.pid, "Pss_File")))

    @property
    def peak(self):
        """The highest PSS seen (MB)."""
        return max((mb for _, mb in self.samples), default=0.0)

    def at(self, seconds, samples=None):
        """The PSS sampled nearest to ``seconds`` after the start (MB), of ``samples`` if given."""
        return min(samples or self.samples, key=lambda s: abs(s[0] - seconds))[1]


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def kb_serve(index, timeout=60.0, env=None):
    """`kb serve` of ``index`` on a free loopback port, as a user starts it (``env``: more variables).

    Yields (base URL, the server process, seconds from start to its first answer).
    """
    base = f"http://127.0.0.1:{free_port()}"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--index", str(index),
                             "--port", base.rsplit(":", 1)[1]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "KB_TOPICS": str(ROOT / "data" / "topics.yaml"),
                                 **(env or {})})
    try:
        first = None
        while first is None and time.perf_counter() - started < timeout:
            try:
                with urllib.request.urlopen(f"{base}/search?q=GPU", timeout=5) as answer:
                    if answer.status == 200:
                        first = time.perf_counter() - started
            except OSError:
                time.sleep(0.05)
        if first is None:
            raise SystemExit(f"kb serve did not answer within {timeout:.0f} s")
        yield base, proc, first
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- queries of each kind, for the in-process search figures ---------------------

KATAKANA = re.compile(r"[ァ-ヺー]+")
LATIN = re.compile(r"[A-Za-z]+")
QUERY_KINDS = ("one word", "multi-word", "common AND common", "fragment fallback",
               "misspelling", "facets selected", "facet-only browsing")


def slip(word, rng):
    """``word`` with one typing slip: two neighbours swapped, or one letter dropped."""
    at = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    return word[:at] + word[at + 1:]


def kinds_of_queries(words, weights, rng, count):
    """``count`` queries of each kind of :data:`QUERY_KINDS` that takes words, from nouns.

    ``words`` are the corpus's commonest nouns, commonest first, with their
    frequencies; queries are drawn by frequency, as readers ask.
    """
    def draw(k=1):
        return rng.choices(words, weights, k=k)

    common = words[:20]
    long_katakana = [w for w in words if KATAKANA.fullmatch(w) and len(w) >= 6]
    slippable = [w for w in words if (KATAKANA.fullmatch(w) or LATIN.fullmatch(w)) and len(w) >= 6]
    known = set(words)
    fragments = list(dict.fromkeys(w[:rng.choice((3, 4))] for w in long_katakana))
    fragments = [f for f in fragments if f not in known] or fragments
    return {
        "one word": draw(count),
        "multi-word": [" ".join(draw(rng.choice((2, 3)))) for _ in range(count)],
        "common AND common": [" ".join(rng.sample(common, 2)) for _ in range(count)],
        "fragment fallback": [rng.choice(fragments) for _ in range(count)],
        "misspelling": [slip(rng.choice(slippable), rng) for _ in range(count)],
    }
