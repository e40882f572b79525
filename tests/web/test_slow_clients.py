"""Slow and idle clients never stop `kb serve`: real sockets against a real server on loopback.

The timeouts below only tell a hang from an answer (a server that gives each
connection a thread stops answering anybody once slow sockets hold them all);
how fast the answers come is make bench's.
"""

import urllib.request

import pytest

from benchmarks.slow import hold_sockets
from tests.conftest import kb_serve

HANG = 60  # seconds: far past any answer, short of a test that never ends
PAGES = ["/", "/search?q=GPU", "/api/search?q=%E6%A4%9C%E7%B4%A2", "/events/", "/topics/gpu",
         "/events/decode-2020", "/feed.atom", "/static/style.css"]


@pytest.fixture(scope="module")
def served(tmp_path_factory, web_index, topics_file):
    log = tmp_path_factory.mktemp("slow-clients") / "serve.log"
    with kb_serve(web_index, topics_file, log) as base:
        yield base


def answers(base):
    """Status of every page, each asked on a new connection."""
    found = {}
    for page in PAGES:
        with urllib.request.urlopen(base + page, timeout=HANG) as response:
            response.read()
            found[page] = response.status
    return found


def test_two_hundred_slowloris_and_a_hundred_idle_sockets_do_not_stop_the_site(served):
    with hold_sockets(served, slow=200, idle=100, every=2.0) as held:
        assert held.fed.wait(HANG), "the slow sockets could not send their headers"
        # every slow socket is now in the middle of its headers, every idle one silent
        assert answers(served) == {page: 200 for page in PAGES}
        assert held.lines >= 1
        # and the held sockets were not simply dropped to make room
        assert held.closed_by_server() == 0


def test_the_site_answers_after_the_slow_sockets_leave(served):
    with hold_sockets(served, slow=50, idle=50, every=0.5) as held:
        held.fed.wait(HANG)
    assert answers(served) == {page: 200 for page in PAGES}
