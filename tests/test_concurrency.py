"""Re-indexing while the site serves, `kb index` killed at any moment, two at once.

Real processes throughout: `kb serve` on gunicorn on a free loopback port,
`kb index` as a subprocess, SIGKILL sent to it, and the load test's clients.
"""

import fcntl
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks.load import run_load
from kb.indexer.build import build_index
from kb.search import SearchRequest, SearchService
from kb.engine.store import LOCK, POINTER, IndexStore

from tests.conftest import kb_serve

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ROOT / "data" / "topics.yaml"
KB = [sys.executable, "-m", "kb"]


def write_notes(folder, version, files, sessions, words=12):
    """``files`` notes of ``sessions`` sessions each; every title starts with ``version``."""
    folder.mkdir(exist_ok=True)
    filler = "GPUで推論を速くした話と全文検索の運用について。" * words
    for i in range(files):
        body = "".join(f"## {version}-{i}-{j} GPUの話\n{version}版のノート。{filler}\n\n"
                       for j in range(sessions))
        (folder / f"n{i:02d}.md").write_text(
            f"---\nevent: 勉強会 {i}\nid: ev{i:02d}\ndate: 2021-0{1 + i % 9}-01\n---\n{body}",
            encoding="utf-8")


def kb_index(notes, index, *extra, capture=False):
    """`kb index` as a subprocess (not waited for); its output piped when ``capture``."""
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen([*KB, "index", str(notes), "--index", str(index),
                             "--topics", str(TOPICS), *extra],
                            stdout=output, stderr=output, text=True)


def indexed(index, taxonomy):
    """Ids of every session in the index, read as a reader would."""
    service = SearchService(index, taxonomy, check_interval=0)
    try:
        results = service.search(SearchRequest(per_page=100))
        ids = {hit.record.id for hit in results.hits}
        for page in range(2, results.pages + 1):
            ids |= {hit.record.id for hit in service.search(SearchRequest(per_page=100, page=page)).hits}
        assert len(ids) == results.total
        return ids
    finally:
        service.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory, topics):
    """An index of version A (5 files × 6 sessions), served by `kb serve` on loopback."""
    work = tmp_path_factory.mktemp("served")
    notes, index = work / "notes", work / "index"
    write_notes(notes, "A", files=5, sessions=6)
    assert build_index(index, [notes], *topics, progress=False).ok
    with kb_serve(index, TOPICS, work / "serve.log", probe="/api/search") as base:
        yield {"base": base, "notes": notes, "index": index, "log": work / "serve.log"}


def consistent(versions):
    """A load-test check: every answer is wholly one version of the index, never a mix."""
    totals = {"A": 5 * 6, "B": 5 * 7}

    def check(path, body):
        data = json.loads(body)
        seen = {hit["title"].split("-", 1)[0] for hit in data["results"]}
        version = next((v for v, n in totals.items() if n == data["total"]), None)
        if version is None or seen != {version}:
            return f"a mixed answer: total {data['total']}, titles of {sorted(seen)}"
        events = sum(v["count"] for v in data["facets"]["event"])
        if events != data["total"]:
            return f"facets count {events} sessions of {data['total']}"
        versions.add(version)
        return None
    return check


def test_reindexing_under_load_fails_no_request_and_never_mixes(served):
    versions = set()
    load = {}
    done = threading.Event()
    paths = ["/api/search?limit=100", "/api/search?q=GPU&limit=100",
             "/api/search?q=%E7%89%88&sort=date&limit=100"]
    # the load lasts as long as both re-indexings take, however busy the machine is
    client = threading.Thread(target=lambda: load.update(run_load(
        served["base"], paths, clients=6, duration=600.0, max_requests=1_000_000,
        check=consistent(versions), stop=done)))
    client.start()
    try:
        time.sleep(0.5)
        # version B: every session renamed and one more per file, as one incremental run
        write_notes(served["notes"], "B", files=5, sessions=7)
        assert kb_index(served["notes"], served["index"]).wait(timeout=120) == 0
        time.sleep(1.5)  # the workers see a new index within their check interval (1 s)
        # back to A through a rebuild, which swaps the pointer to a new whoosh index
        write_notes(served["notes"], "A", files=5, sessions=6)
        assert kb_index(served["notes"], served["index"], "--rebuild").wait(timeout=120) == 0
        time.sleep(1.5)
    finally:
        done.set()
        client.join()
    assert load["errors"] == 0, load["error_samples"]
    assert load["requests"] > 300
    assert versions == {"A", "B"}, "the load did not span both re-indexings"
    print(f"\nre-indexing under load: {load['requests']} requests, {load['errors']} errors, "
          f"{load['requests_per_s']:.0f} req/s, p50 {load['p50_ms']:.1f} ms, "
          f"p99 {load['p99_ms']:.1f} ms")


@pytest.mark.parametrize("path", ["/events/../../etc/passwd", "/static/../../pyproject.toml",
                                  "/static/%2e%2e/%2e%2e/pyproject.toml", "/events/%2e%2e%2f",
                                  "/api/sessions/ev00%2f..%2f..%2fx", "/events/" + "a" * 3000])
def test_raw_traversal_paths_reach_nothing_on_the_real_server(served, path):
    connection = http.client.HTTPConnection(*served["base"][7:].split(":"), timeout=5)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 404
    assert b"[build-system]" not in body and b"root:" not in body


VERSIONS = {"A": 10, "B": 11}  # sessions per file of each version of the notes
FILES = 40


def version_ids(version):
    return {f"ev{i:02d}/{version.lower()}-{i}-{j}-gpuの話"
            for i in range(FILES) for j in range(VERSIONS[version])}


@pytest.fixture
def corpus(tmp_path, topics):
    """Notes at version A, indexed; the same notes at version B written, not yet indexed."""
    notes, index = tmp_path / "notes", tmp_path / "index"
    write_notes(notes, "A", files=FILES, sessions=VERSIONS["A"])
    assert build_index(index, [notes], *topics, progress=False).ok
    write_notes(notes, "B", files=FILES, sessions=VERSIONS["B"])
    return notes, index


def test_kill_9_at_any_point_loses_nothing_and_leaves_no_stale_lock(corpus, taxonomy):
    notes, index = corpus
    ids = {version: version_ids(version) for version in VERSIONS}
    assert indexed(index, taxonomy) == ids["A"]
    started = time.monotonic()
    assert kb_index(notes, index, "--rebuild").wait(timeout=60) == 0
    duration = time.monotonic() - started  # of a whole run, start-up included
    state = "B"

    rng = random.Random(9)
    kills = 8
    outcomes = []
    for k in range(kills):
        # each run has the other version to write; kills are spread over the whole run
        target = "A" if state == "B" else "B"
        write_notes(notes, target, files=FILES, sessions=VERSIONS[target])
        rebuild = k % 2 == 1
        delay = (k + rng.random()) / kills * duration * 1.2  # the last may well finish
        proc = kb_index(notes, index, *(["--rebuild"] if rebuild else []))
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        found = indexed(index, taxonomy)  # the index opens, and is wholly one version
        state = next((v for v in VERSIONS if found == ids[v]), None)
        assert state is not None, f"killed after {delay:.2f} s: {len(found)} sessions, a mix"
        outcomes.append(f"{delay:.2f} s {'rebuild' if rebuild else 'update'}: "
                        f"{'done' if state == target else 'kept the old'}")
    # no stale lock: the next run starts at once and brings the index to the notes
    target = "A" if state == "B" else "B"
    write_notes(notes, target, files=FILES, sessions=VERSIONS[target])
    finished = kb_index(notes, index, "--wait", "5", capture=True)
    out, err = finished.communicate(timeout=60)
    assert finished.returncode == 0, err
    assert indexed(index, taxonomy) == ids[target]
    # what killed rebuilds began is gone: only the current index's files are left
    current = IndexStore(index).pointer()["name"]
    assert {p.name for p in index.iterdir() if current not in p.name} == {POINTER, LOCK}
    print(f"\nkill -9 during a {duration:.2f} s run: " + "; ".join(outcomes))


def children(pid):
    """Pids of the child processes of ``pid`` (Linux /proc)."""
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc")
def test_parallel_workers_do_not_outlive_a_killed_kb_index(corpus, topics):
    notes, index = corpus
    script = ("import sys; from kb.indexer.build import build_index; from kb.config import load_topics;"
              "build_index(sys.argv[1], [sys.argv[2]], *load_topics(sys.argv[3]), rebuild=True,"
              " progress=False, procs=2, parallel_chars=0)")
    parent = subprocess.Popen([sys.executable, "-c", script, str(index), str(notes), str(TOPICS)])
    deadline = time.monotonic() + 120  # a guard against a hang, however busy the machine
    while len(workers := children(parent.pid)) < 3:  # the resource tracker and two workers
        assert parent.poll() is None and time.monotonic() < deadline, "no workers started"
        time.sleep(0.01)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 60
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:  # ours, started by this test: do not leave them behind either way
        os.kill(pid, signal.SIGKILL)
    assert left == [], "worker processes outlived their killed parent"


def lock_is_held(index):
    """Whether some process holds the index folder's write lock."""
    path = index / LOCK
    if not path.exists():
        return False
    with open(path, "a") as fp:
        try:
            fcntl.flock(fp, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fp, fcntl.LOCK_UN)
        return False


def test_a_second_kb_index_says_another_is_running_or_waits(corpus, taxonomy):
    notes, index = corpus
    first = kb_index(notes, index, "--rebuild")
    deadline = time.monotonic() + 15
    while not lock_is_held(index):
        assert first.poll() is None and time.monotonic() < deadline, "the first never locked"
        time.sleep(0.01)
    impatient = kb_index(notes, index, "--wait", "0", capture=True)
    patient = kb_index(notes, index, "--wait", "60", capture=True)
    out, err = impatient.communicate(timeout=30)
    assert impatient.returncode == 1
    assert f"kb: error: another 'kb index' is writing to {index}" in err
    assert first.poll() is None, "the first run ended before the second was turned away"
    assert first.wait(timeout=60) == 0
    out, err = patient.communicate(timeout=60)
    assert patient.returncode == 0, err
    assert "0 added" in out  # it waited, then found everything done
    assert indexed(index, taxonomy) == version_ids("B")
