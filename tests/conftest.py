"""Shared fixtures: the taxonomy, and one real index of the sample and test notes."""

import os
import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from kb.indexer.build import build_index
from kb.config import load_topics
from kb.search import SearchRequest, SearchService

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_NOTES = ROOT / "data" / "notes"
TEST_NOTES = ROOT / "tests" / "notes"
TOPICS = ROOT / "data" / "topics.yaml"

# Property-based tests: the same examples on every CI run, a fresh draw elsewhere.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def topics():
    """(taxonomy, its hash) from data/topics.yaml."""
    return load_topics(TOPICS)


@pytest.fixture(scope="session")
def taxonomy(topics):
    return topics[0]


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory, topics):
    """One index of data/notes and tests/notes, built once per test session."""
    path = tmp_path_factory.mktemp("index")
    report = build_index(path, [SAMPLE_NOTES, TEST_NOTES], *topics, progress=False)
    assert report.ok, report.errors
    return path


@pytest.fixture(scope="session")
def service(index_dir, taxonomy):
    service = SearchService(index_dir, taxonomy)
    yield service
    service.close()


@pytest.fixture
def search(service):
    """Search with keyword arguments of SearchRequest; returns the JSON dict."""
    def run(q="", **kwargs):
        return service.search(SearchRequest(q=q, **kwargs)).to_dict()
    return run


@contextlib.contextmanager
def service_of(tmp_path_factory, topics, notes):
    """A search service over an index of ``notes`` ({file name: text}), closed after use."""
    folder = tmp_path_factory.mktemp("notes")
    for name, text in notes.items():
        (folder / name).write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    build_index(index, [folder], *topics, progress=False)
    service = SearchService(index, topics[0])
    try:
        yield service
    finally:
        service.close()


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, proc, log=None, patience=120):
    """Wait until ``url`` answers 200; fail if ``proc`` ends first or after ``patience`` s.

    The patience only guards against a hang: how soon a server answers is
    measured by make bench.
    """
    started = time.monotonic()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                assert response.status == 200
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() - started > patience:
                said = log.read_text(errors="replace") if log else ""
                pytest.fail(f"the server did not answer {url}: {said}")
            time.sleep(0.05)


@contextlib.contextmanager
def kb_serve(index, topics, log, workers=2, threads=4, probe="/", options=()):
    """`kb serve` on a free loopback port, as a reader starts it; yields its base URL."""
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kb", "serve", "--index", str(index), "--topics", str(topics),
             "--port", str(port), "--workers", str(workers), "--threads", str(threads),
             *options],
            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + probe, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
