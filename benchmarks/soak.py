"""A soak: many loopback clients asking a mixed load for minutes, and the server's memory meanwhile.

The load is what readers of a real site do: searches never asked before,
clicks on facets, permalinks of sessions and events, the JSON API and
suggestions, feeds. Memory is the proportional set size (PSS) of the server's
process tree, sampled all along; a server whose caches are all bounded ends
about where it was once they filled (minute 2).
"""

import json
import random
import urllib.parse
import urllib.request

from benchmarks.load import run_load
from benchmarks.measure import PeakMemory

REFERENCE_S = 120.0  # memory is compared with its level at minute 2
SAMPLE_EVERY_S = 5.0


def _get_json(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as answer:
        return json.load(answer)


def site_map(base, events=300) -> dict:
    """Topics, years, events and session ids of the site, as its API lists them."""
    topics = [t["value"] for t in _get_json(base, "/api/topics")["topics"]]
    years = [v["value"] for v in _get_json(base, "/api/search")["facets"]["year"]]
    event_ids = [e["id"] for e in _get_json(base, "/api/events")["events"]]
    sessions = []
    for event_id in event_ids[:events]:
        found = _get_json(base, "/api/events/" + urllib.parse.quote(event_id, safe=""))
        sessions += [s["id"] for s in found["sessions"]]
    return {"topics": topics, "years": years, "events": event_ids, "sessions": sessions}


def mixed_paths(site, words, rng, count) -> list[str]:
    """``count`` paths of a mixed load; a "new" query is never asked twice."""
    seen = set()

    def new_query():
        while True:
            query = " ".join(rng.sample(words, rng.choice((1, 2, 2, 3))))
            if query not in seen:
                seen.add(query)
                return query

    def quoted(value):
        return urllib.parse.quote(value, safe="")

    popular = words[:40]
    kinds = [
        (30, lambda: f"/search?q={quoted(new_query())}"),
        (10, lambda: f"/search?q={quoted(rng.choice(popular))}&topic={quoted(rng.choice(site['topics']))}"),
        (6, lambda: f"/search?topic={quoted(rng.choice(site['topics']))}&year={rng.choice(site['years'])}"
                    f"&page={rng.randint(1, 3)}"),
        (4, lambda: f"/search?q={quoted(rng.choice(popular))}&event={quoted(rng.choice(site['events']))}"
                    "&sort=date"),
        (16, lambda: "/events/" + "/".join(map(quoted, rng.choice(site["sessions"]).split("/", 1)))),
        (4, lambda: "/events/" + quoted(rng.choice(site["events"]))),
        (12, lambda: f"/api/search?q={quoted(new_query())}&topic={quoted(rng.choice(site['topics']))}"),
        (8, lambda: "/api/sessions/" + "/".join(map(quoted, rng.choice(site["sessions"]).split("/", 1)))),
        (6, lambda: f"/api/suggest?q={quoted(rng.choice(words)[:2])}"),
        (4, lambda: f"/feed.atom?topic={quoted(rng.choice(site['topics']))}"),
    ]
    weights = [w for w, _ in kinds]
    makers = [m for _, m in kinds]
    return [rng.choices(makers, weights)[0]() for _ in range(count)]


def soak(base, pid, words, minutes=3.0, clients=16, seed=7) -> dict:
    """Load ``base`` (served by process ``pid``) for ``minutes``; its memory at minute 2 and at the end."""
    rng = random.Random(seed)
    site = site_map(base)
    duration = minutes * 60
    # more paths than the clients can ask for: new queries stay new
    paths = mixed_paths(site, words, rng, count=int(duration * 400))
    with PeakMemory(pid, SAMPLE_EVERY_S, parts=True) as memory:
        load = run_load(base, paths, clients=clients, duration=duration,
                        max_requests=len(paths), timeout=30.0)
        memory.tick()  # as the load ends
    reference, end = memory.at(REFERENCE_S), memory.samples[-1][1]
    per_minute = [round(memory.at(60.0 * m)) for m in range(int(minutes) + 1)]
    return {"minutes": minutes, "clients": clients, "load": load,
            "pss_start_mb": memory.samples[0][1], "pss_minute_2_mb": reference,
            "pss_end_mb": end, "pss_peak_mb": memory.peak,
            "pss_per_minute_mb": per_minute, "end_over_minute_2": end / reference,
            # the processes' own memory, and the pages of mapped files (the index) they read
            "anon_minute_2_mb": memory.at(REFERENCE_S, memory.anon), "anon_end_mb": memory.anon[-1][1],
            "files_minute_2_mb": memory.at(REFERENCE_S, memory.files),
            "files_end_mb": memory.files[-1][1]}
