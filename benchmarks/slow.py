"""Slow and idle clients against a kb site on loopback, and what the other clients see meanwhile.

A slow client (slowloris) opens a connection, sends a request line and then
one more header line every few seconds, never finishing its request; an idle
client connects and sends nothing. A server that gives each connection a
thread while its request arrives stops answering everybody once its threads
are all waiting on such sockets. Only loopback addresses are accepted.

    python -m benchmarks.slow http://127.0.0.1:5000 --slow 200 --idle 100
"""

import argparse
import contextlib
import json
import socket
import sys
import threading

from benchmarks.load import DEFAULT_PATHS, loopback_address, run_load
from benchmarks.measure import Ticker, tree_pss_mb


class HeldSockets(Ticker):
    """Slow and idle sockets held open against one server, fed by one thread."""

    def __init__(self, address, slow, idle, every):
        super().__init__(every)
        self.address = address
        self.slow = [socket.create_connection(address, timeout=10) for _ in range(slow)]
        self.idle = [socket.create_connection(address, timeout=10) for _ in range(idle)]
        self.lines = -1  # header lines each slow socket has sent after its request line
        self.fed = threading.Event()  # set once every slow socket sent a header past the first

    def _send_all(self, data):
        for sock in self.slow:
            with contextlib.suppress(OSError):  # one the server closed: it shed it
                sock.sendall(data)

    def tick(self):
        self.lines += 1
        if not self.lines:
            host = f"{self.address[0]}:{self.address[1]}".encode()
            self._send_all(b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n")
        else:
            self._send_all(b"X-Slow-%d: %d\r\n" % (self.lines, self.lines))
            self.fed.set()

    def closed_by_server(self):
        """How many of the held sockets the server has closed (or answered)."""
        closed = 0
        for sock in self.slow + self.idle:
            sock.setblocking(False)
            try:
                sock.recv(1, socket.MSG_PEEK)  # an answer, or b"" for a closed socket
                closed += 1
            except BlockingIOError:  # nothing to read: still open, still waiting
                pass
            except OSError:
                closed += 1
            finally:
                sock.setblocking(True)
        return closed

    def __exit__(self, *exc):
        super().__exit__(*exc)
        for sock in self.slow + self.idle:
            sock.close()


def hold_sockets(base_url, slow=200, idle=100, every=2.0) -> HeldSockets:
    """A context manager holding ``slow`` slowloris and ``idle`` silent sockets to ``base_url``."""
    return HeldSockets(loopback_address(base_url), slow, idle, every)


def slow_clients(base_url, slow=200, idle=100, every=2.0, clients=4, duration=20.0,
                 paths=DEFAULT_PATHS, pid=None) -> dict:
    """Latencies of ``clients`` ordinary clients without, then with, slow and idle sockets open.

    With the server's ``pid``, also its memory (PSS, MB) before and while they are open.
    """
    run_load(base_url, paths, clients=clients, duration=3.0)  # every page rendered once
    alone = run_load(base_url, paths, clients=clients, duration=duration / 2)
    before = tree_pss_mb(pid) if pid else None
    with hold_sockets(base_url, slow, idle, every) as held:
        held.fed.wait(every * 3)  # every slow socket is in the middle of its headers
        during = run_load(base_url, paths, clients=clients, duration=duration, timeout=30.0)
        closed = held.closed_by_server()
        held_pss = tree_pss_mb(pid) if pid else None
    return {"slow": slow, "idle": idle, "every_s": every, "alone": alone, "during": during,
            "held_open": slow + idle - closed, "pss_before_mb": before, "pss_held_mb": held_pss}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.slow",
                                     description="Latency of a kb site while slow clients hold sockets.")
    parser.add_argument("url", help="the site, e.g. http://127.0.0.1:5000")
    parser.add_argument("--slow", type=int, default=200, help="slowloris sockets (default 200)")
    parser.add_argument("--idle", type=int, default=100, help="silent sockets (default 100)")
    parser.add_argument("--every", type=float, default=2.0, metavar="SECONDS",
                        help="a slow socket sends a header line this often (default 2)")
    parser.add_argument("--duration", type=float, default=20.0, metavar="SECONDS")
    args = parser.parse_args(argv)
    try:
        figures = slow_clients(args.url.rstrip("/"), args.slow, args.idle, args.every,
                               duration=args.duration)
    except ValueError as exc:
        parser.error(str(exc))
    json.dump(figures, sys.stdout, indent=2)
    print()
    return 1 if figures["during"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
