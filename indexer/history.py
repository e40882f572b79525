"""What a note's sessions were before this run: who they are, since when, under which ids.

A session keeps its identity across edits of its note. The sessions of a note
read again are matched to the ones it had: by slug (so an id that stays is the
same session, even when the event's id changes), then, among the rest, by
equal titles, by equal notes, and by likeness within the same stretch of the
note, so that a retitled session, even by one space, stays itself. Its
identity carries when kb first indexed it, when its notes last changed, and
every id it had, each pointing straight at the id it has now (an old link
takes one redirect, however often the session was renamed). A session that
matches none is new; an old one that none matches was removed, and its links
with it.

Everything here is pure: the build hands in the old records and a way to read
an old session.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterator

from kb.records import SessionHistory

from kb.indexer.documents import notes_hash

LIKE = 0.5  # likeness of titles or notes from which two sessions are one (Dice of char pairs)
PAIRS_COMPARED = 400  # in one stretch of a note; past that, only sessions side by side
COMPARED_CHARS = 20_000  # of a session's notes, for likeness

Load = Callable[[str], "dict | None"]  # an old session's record by its id


def stamp(ns: int) -> str:
    """A time (nanoseconds since the epoch) as records keep it: UTC, to the microsecond."""
    moment = datetime.fromtimestamp(ns // 10**9, timezone.utc)
    return moment.replace(microsecond=ns // 1000 % 10**6).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _slug(session_id: str) -> str:
    return session_id.partition("/")[2]


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def _char_pairs(text: str) -> Counter:
    padded = f" {_fold(text)[:COMPARED_CHARS]} "
    return Counter(padded[i:i + 2] for i in range(len(padded) - 1))


def _dice(a: Counter, b: Counter) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


@dataclass
class _Seen:
    """A session as matching sees it: its id, title and notes (character pairs kept once made)."""

    id: str
    title: str
    text: str
    _pairs: dict = field(default_factory=dict, repr=False)

    def pairs(self, what: str) -> Counter:
        found = self._pairs.get(what)
        if found is None:
            found = self._pairs[what] = _char_pairs(getattr(self, what))
        return found


def likeness(old: _Seen, new: _Seen) -> float:
    """How alike two sessions are, 0 to 1: by their titles, or by their notes if both have some."""
    alike = _dice(old.pairs("title"), new.pairs("title"))
    if old.text and new.text:
        alike = max(alike, _dice(old.pairs("text"), new.pairs("text")))
    return alike


def match_sessions(old_ids: list[str], new: list[dict], load: Load) -> dict[str, str]:
    """{old id: new id} of the sessions that stay themselves across an edit of their note.

    ``old_ids`` are the ids the note's sessions had, in order; ``new`` the
    records of its sessions now, in order; ``load`` reads an old session's
    record, which is done only for the sessions whose slugs went.
    """
    by_slug = {_slug(r["id"]): r["id"] for r in new}
    matched = {o: by_slug[_slug(o)] for o in old_ids if _slug(o) in by_slug}
    taken = set(matched.values())
    news = [_Seen(r["id"], r["title"], r.get("text") or "") for r in new if r["id"] not in taken]
    if not news or len(matched) == len(old_ids):
        return matched
    olds = []
    for old_id in old_ids:
        record = None if old_id in matched else load(old_id)
        if record is not None:
            olds.append(_Seen(old_id, record.get("title") or "", record.get("text") or ""))
    for key in (lambda s: _fold(s.title), lambda s: _fold(s.text)):
        olds, news = _pair_equal(olds, news, key, matched)
    if olds and news:
        _pair_alike(old_ids, [r["id"] for r in new], olds, news, matched)
    return matched


def _pair_equal(olds, news, key, matched):
    """Pair sessions whose ``key`` is the same (and not empty), in order; return those left."""
    waiting = defaultdict(deque)
    for seen in olds:
        if value := key(seen):
            waiting[value].append(seen)
    left = []
    for seen in news:
        value = key(seen)
        if value and waiting.get(value):
            matched[waiting[value].popleft().id] = seen.id
        else:
            left.append(seen)
    return [s for s in olds if s.id not in matched], left


def _stretches(old_order, new_order, olds, news, matched) -> Iterator[tuple[list, list]]:
    """(old sessions, new sessions) left between the same matched neighbours of a note."""
    at = {old_id: i for i, old_id in enumerate(old_order)}
    was = {new_id: at[old_id] for old_id, new_id in matched.items()}
    left = {s.id for s in news}
    low, lows = -1, {}
    for new_id in new_order:
        if new_id in was:
            low = was[new_id]
        elif new_id in left:
            lows[new_id] = low
    high, highs = len(old_order), {}
    for new_id in reversed(new_order):
        if new_id in was:
            high = was[new_id]
        elif new_id in left:
            highs[new_id] = high
    groups = defaultdict(list)
    for seen in news:
        groups[lows[seen.id], highs[seen.id]].append(seen)
    for (low, high), group in groups.items():
        # neighbours that swapped places bound nothing: any session left may be it
        yield [s for s in olds if low < at[s.id] < high or low >= high], group


def _pair_alike(old_order, new_order, olds, news, matched) -> None:
    """Pair the sessions left that are alike enough, stretch by stretch of the note."""
    for candidates, group in _stretches(old_order, new_order, olds, news, matched):
        candidates = [s for s in candidates if s.id not in matched]
        if not candidates:
            continue
        if len(candidates) * len(group) <= PAIRS_COMPARED:
            pairs = [(o, n, -abs(i - j)) for i, o in enumerate(candidates)
                     for j, n in enumerate(group)]
        else:
            pairs = [(o, n, 0) for o, n in zip(candidates, group)]
        scored = sorted(((likeness(o, n), near, o, n) for o, n, near in pairs),
                        key=lambda p: p[:2], reverse=True)
        used = set()
        for alike, _, old, new in scored:
            if alike < LIKE:
                break
            if old.id not in matched and new.id not in used:
                matched[old.id] = new.id
                used.add(new.id)
        rest_old = [s for s in candidates if s.id not in matched]
        rest_new = [s for s in group if s.id not in used]
        if len(rest_old) == len(rest_new) and not any(s.text for s in rest_old):
            # headings written ahead, without notes, later retitled and filled in
            matched.update((o.id, n.id) for o, n in zip(rest_old, rest_new))


@dataclass(frozen=True)
class Carried:
    """What a note read again keeps of what it was."""

    sessions: dict[str, SessionHistory]  # by session id now
    former: dict[str, str]  # former session id -> session id now
    former_ids: tuple[str, ...]  # ids the event had
    renamed: tuple[tuple[str, str], ...]  # (old, new) session ids, in the note's order
    renamed_event: tuple[str, str] | None = None

    @property
    def history(self) -> dict[str, list]:
        """The histories as the event record stores them (an origin that is the id: "")."""
        return {i: [h.indexed, h.changed, h.notes, "" if h.origin == i else h.origin]
                for i, h in self.sessions.items()}

    def stamps(self, session_id: str) -> dict[str, str]:
        """What a session's own record keeps of its history."""
        h = self.sessions[session_id]
        return {"indexed": h.indexed, "changed": h.changed,
                "origin": "" if h.origin == session_id else h.origin}


def _guess(before: dict, now: str) -> str:
    """When an index that kept no history probably indexed a note: when the file last changed."""
    signature = before.get("signature") or []
    if len(signature) > 1 and isinstance(signature[1], int):
        return min(stamp(signature[1]), now)
    return now


def carry(before: dict | None, event_id: str, records: list[dict], load: Load,
          now: str) -> Carried:
    """The history of a note's sessions ``records`` (in order), given its event record ``before``.

    ``before`` is the stored event record the note had (None for a new note);
    ``now`` is this run's time, as :func:`stamp` writes it.
    """
    before = before or {}
    matched = match_sessions(list(before.get("sessions") or {}), records, load)
    history = {i: SessionHistory.from_stored(h) for i, h in (before.get("history") or {}).items()}
    was = {new_id: old_id for old_id, new_id in matched.items()}
    sessions = {}
    for record in records:
        notes, old_id = notes_hash(record), was.get(record["id"])
        if old_id is None:
            sessions[record["id"]] = SessionHistory(now, now, notes, record["id"])
            continue
        past = history.get(old_id)  # its origin "" if it is old_id itself
        if past is None:  # indexed by a kb that kept no history
            old = load(old_id)
            guess = _guess(before, now)
            past = SessionHistory(guess, guess, notes_hash(old) if old else "", old_id)
        changed = past.changed if past.notes == notes else now
        sessions[record["id"]] = SessionHistory(past.indexed, changed, notes,
                                                past.origin or old_id)
    former = {f: matched[t] for f, t in (before.get("former") or {}).items() if t in matched}
    former.update((o, n) for o, n in matched.items() if o != n)
    ids = [*(before.get("former_ids") or ()), *([before["id"]] if before.get("id") else [])]
    old_event = before.get("id")
    return Carried(
        sessions=sessions,
        former={f: t for f, t in former.items() if f not in sessions},
        former_ids=tuple(dict.fromkeys(i for i in ids if i != event_id)),
        renamed=tuple((was[r["id"]], r["id"]) for r in records
                      if was.get(r["id"], r["id"]) != r["id"]),
        renamed_event=(old_event, event_id) if old_event and old_event != event_id else None,
    )
