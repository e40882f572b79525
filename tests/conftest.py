"""Shared fixtures: the taxonomy, and one real index of the sample and test notes."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from indexer.build import build_index
from kb.cli import load_topics
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
