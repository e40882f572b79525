import threading

import numpy as np

from kb.cache import Memo


def test_remembers_and_computes_once():
    memo, calls = Memo(4), []
    for _ in range(3):
        assert memo.get("k", 1, lambda: calls.append(1) or "one") == "one"
    assert calls == [1]
    assert memo.peek("k", 1) == "one" and memo.peek("k", 2) is None


def test_least_recently_used_go_first():
    memo = Memo(2)
    memo.get("k", 1, lambda: "a")
    memo.get("k", 2, lambda: "b")
    memo.get("k", 1, lambda: "x")  # used again: 2 is now the oldest
    memo.get("k", 3, lambda: "c")
    assert memo.peek("k", 2) is None
    assert memo.peek("k", 1) == "a" and memo.peek("k", 3) == "c"


def test_bounded_by_what_values_weigh():
    memo = Memo(100, max_bytes=3_000)
    weigh = lambda a: a.nbytes  # noqa: E731
    for n in range(5):
        memo.get("part", n, lambda: np.zeros(125), weigh)  # 1,000 bytes each
    assert len(memo) == 3 and memo.held == 3_000
    assert memo.peek("part", 0) is None and memo.peek("part", 4) is not None
    # a value heavier than the whole budget is answered, not remembered
    big = memo.get("part", "big", lambda: np.zeros(1_000), weigh)
    assert len(big) == 1_000 and memo.peek("part", "big") is None and memo.held == 3_000


def test_unhashable_keys_and_no_size_compute_every_time():
    calls = []
    assert Memo(4).get("k", [1], lambda: calls.append(1) or 2) == 2
    assert Memo(0).get("k", 1, lambda: calls.append(1) or 2) == 2
    assert Memo(0).peek("k", 1) is None
    assert calls == [1, 1]


def test_a_value_may_ask_for_others_and_threads_share_it():
    memo = Memo(8)
    outer = memo.get("k", "outer", lambda: memo.get("k", "inner", lambda: 1) + 1)
    assert outer == 2 and memo.peek("k", "inner") == 1
    found = []
    threads = [threading.Thread(target=lambda: found.append(memo.get("k", "t", lambda: 7)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == [7] * 8 and len(memo) == 3
