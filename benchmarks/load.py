"""A load test: concurrent keep-alive clients against a kb site on loopback.

Each client is a thread with its own HTTP/1.1 connection, asking for the given
paths in turn until the time or the request budget runs out. The answer says
how many requests were made, how many failed (any status but 200, a dropped
connection, or an answer ``check`` rejects), the throughput and the latency
percentiles. Only loopback addresses are accepted: this measures our server,
not a network, and must never be pointed at someone else's.

    python -m benchmarks.load http://127.0.0.1:5000 --clients 8 --duration 10
"""

import argparse
import http.client
import ipaddress
import itertools
import json
import socket
import sys
import threading
import time
from urllib.parse import quote, urlsplit

DEFAULT_PATHS = ("/", "/search?q=GPU", "/api/search?q=%E6%A9%9F%E6%A2%B0%E5%AD%A6%E7%BF%92",
                 "/search?q=%E6%A4%9C%E7%B4%A2&sort=date", "/events/", "/topics/",
                 "/api/suggest?q=%E6%A9%9F%E6%A2%B0", "/feed.atom")
MAX_ERROR_SAMPLES = 10


def loopback_address(base_url):
    """(host, port) of ``base_url``; ValueError unless it is http on a loopback address."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"not an http:// URL: {base_url!r}")
    port = parts.port or 80
    try:
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise ValueError(f"cannot resolve {parts.hostname}: {exc}") from None
    for *_, address in found:
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ValueError(f"{parts.hostname} is not a loopback address: "
                             "the load test only runs against this machine")
    return parts.hostname, port


def percentile(sorted_values, q):
    """The nearest-rank ``q``-th percentile (0-100) of sorted values; 0.0 when empty."""
    if not sorted_values:
        return 0.0
    rank = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[rank]


class _Client(threading.Thread):
    """One connection asking for paths in turn; keeps its own latencies and errors."""

    def __init__(self, address, paths, offset, deadline, budget, check, timeout, stop=None,
                 revalidate=False):
        super().__init__(daemon=True)
        self.revalidate = revalidate
        self.tags = {}  # path -> the ETag of its last answer, sent back when revalidating
        self.address, self.paths, self.offset = address, paths, offset
        self.deadline, self.budget, self.check, self.timeout = deadline, budget, check, timeout
        self.stop = stop
        self.latencies, self.samples = [], []
        self.requests = self.errors = self.not_modified = 0

    def _connect(self):
        return http.client.HTTPConnection(*self.address, timeout=self.timeout)

    def _fail(self, path, why):
        self.errors += 1
        if len(self.samples) < MAX_ERROR_SAMPLES:
            self.samples.append(f"{path}: {why}")

    def run(self):
        connection = self._connect()
        try:
            for i in itertools.count(self.offset):
                # the budget is shared: taking a number from it is one atomic step
                if time.monotonic() >= self.deadline or next(self.budget) < 0 \
                        or (self.stop is not None and self.stop.is_set()):
                    break
                path = self.paths[i % len(self.paths)]
                self.requests += 1
                start = time.perf_counter()
                headers = {"Accept-Encoding": "identity"}
                if path in self.tags:
                    headers["If-None-Match"] = self.tags[path]
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    self._fail(path, f"{type(exc).__name__}: {exc}")
                    connection.close()
                    connection = self._connect()
                    continue
                self.latencies.append((time.perf_counter() - start) * 1000)
                if response.status == 304 and path in self.tags:
                    self.not_modified += 1
                    continue
                if self.revalidate and response.getheader("ETag"):
                    self.tags[path] = response.getheader("ETag")
                if response.status != 200:
                    self._fail(path, f"status {response.status}")
                elif self.check is not None:
                    problem = self.check(path, body)
                    if problem:
                        self._fail(path, problem)
        finally:
            connection.close()


def run_load(base_url, paths=DEFAULT_PATHS, clients=8, duration=10.0, max_requests=100_000,
             check=None, timeout=10.0, stop=None, revalidate=False):
    """Load ``base_url`` with ``clients`` connections for ``duration`` s or ``max_requests``.

    A ``stop`` event, when given and set, ends the load early. With
    ``revalidate``, each client asks again for a path it has an answer to with
    that answer's ETag (If-None-Match), as a browser does: 304 is then a success.
    ``check(path, body)`` may return a message for an answer that is wrong
    though it came with status 200; it then counts as an error. Returns the
    figures as a dict: requests, errors, requests_per_s, p50_ms, p99_ms, ...
    """
    address = loopback_address(base_url)
    # non-ASCII paths (/search?q=検索) are sent %-encoded; existing escapes stay
    paths = [quote(p if p.startswith("/") else "/" + p, safe="/?&=%:+,;@!$'()*~") for p in paths]
    if not paths:
        raise ValueError("no paths to ask for")
    budget = itertools.count(max_requests - 1, -1)  # counts down; below zero means spent
    started = time.monotonic()
    threads = [_Client(address, paths, n * len(paths) // max(1, clients), started + duration,
                       budget, check, timeout, stop, revalidate) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = sorted(ms for t in threads for ms in t.latencies)
    errors = sum(t.errors for t in threads)
    return {
        "clients": clients, "duration_s": round(elapsed, 3),
        "requests": sum(t.requests for t in threads), "errors": errors,
        "not_modified": sum(t.not_modified for t in threads),
        "requests_per_s": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(latencies[-1], 2) if latencies else 0.0,
        "error_samples": [s for t in threads for s in t.samples][:MAX_ERROR_SAMPLES],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load",
                                     description="Load a kb site on loopback with concurrent clients.")
    parser.add_argument("url", help="the site, e.g. http://127.0.0.1:5000")
    parser.add_argument("--path", action="append", dest="paths", metavar="PATH",
                        help="a path to ask for; repeat for several (default: a mix of pages)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0, metavar="SECONDS")
    parser.add_argument("--max-requests", type=int, default=100_000, metavar="N")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    try:
        figures = run_load(args.url.rstrip("/"), args.paths or DEFAULT_PATHS, args.clients,
                           args.duration, args.max_requests)
    except ValueError as exc:
        parser.error(str(exc))
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        print()
    else:
        print(f"{figures['requests']} requests from {figures['clients']} clients in "
              f"{figures['duration_s']:.1f} s: {figures['requests_per_s']:.0f} req/s, "
              f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
              f"max {figures['max_ms']:.1f} ms, errors {figures['errors']}")
        for sample in figures["error_samples"]:
            print(f"  error: {sample}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
