"""What a reader asks, read once for the CLI and the web with the same rules.

:func:`parse_request` turns named text values (a URL's query string, the
command's options) into a :class:`SearchRequest`, or raises QueryError naming
the parameter. The query text itself is never refused: :mod:`kb.query` cuts
what is too long and says so in the answer's messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from kb.errors import QueryError

SORTS = ("relevance", "date", "new")  # new: notes added or changed last first
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
_YEAR = re.compile(r"[0-9]{4}")  # ASCII digits: \d also takes ２０２０, which no session has


@dataclass(frozen=True)
class SearchRequest:
    """What a reader asks: a query, facet selections, an order and a page."""

    q: str = ""
    events: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def validate(self) -> None:
        """Raise QueryError naming the first bad parameter."""
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}", "sort")
        if not isinstance(self.page, int) or not 1 <= self.page <= MAX_PAGE:
            raise QueryError(f"page must be a whole number from 1 to {MAX_PAGE}", "page")
        if not isinstance(self.per_page, int) or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"limit must be a whole number from 1 to {MAX_PER_PAGE}", "limit")
        for year in self.years:
            if not _YEAR.fullmatch(str(year)):
                raise QueryError(f"year must be four digits, not {year!r}", "year")

    @property
    def selections(self) -> dict[str, tuple[str, ...]]:
        """The facet selections, by facet name."""
        return {"event": self.events, "topic": self.topics, "year": self.years}


def _whole_number(values: Sequence[str], name: str, default: int, most: int) -> int:
    raw = values[0].strip() if values else ""
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= most:
        raise QueryError(f"{name} must be a whole number from 1 to {most}, not {raw!r}", name)
    return int(raw)


def _distinct(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def parse_request(values: Mapping[str, Sequence[str]],
                  default_per_page: int = DEFAULT_PER_PAGE) -> SearchRequest:
    """A validated request from named values: q, event, topic, year, sort, page, limit.

    Each name maps to the list of values given for it (a URL may repeat a
    name, the command repeats an option); names not given take defaults.
    """
    q = " ".join(" ".join(values.get("q", ())).split())
    sort = (values.get("sort") or [""])[0].strip() or "relevance"
    request = SearchRequest(
        q=q, events=_distinct(values.get("event", ())), topics=_distinct(values.get("topic", ())),
        years=_distinct(values.get("year", ())), sort=sort,
        page=_whole_number(values.get("page", ()), "page", 1, MAX_PAGE),
        per_page=_whole_number(values.get("limit", ()), "limit", default_per_page, MAX_PER_PAGE),
    )
    request.validate()
    return request
