"""Search parameters of a URL: read them into a request, write them back into URLs.

Every page state is a GET URL, so the same few parameters (``q``, ``event``,
``topic``, ``year``, ``sort``, ``page``, ``limit``) are read and written here.
"""

from dataclasses import dataclass, replace
from typing import Any

from kb.requests import SearchRequest, parse_request

FACET_PARAMS = {"event": "events", "topic": "topics", "year": "years"}
NAMES = ("q", "event", "topic", "year", "sort", "page", "limit")


@dataclass(frozen=True)
class SearchArgs(SearchRequest):
    """The search parameters of one URL: a request, and the page size its URL leaves out."""

    default_limit: int = 10

    @classmethod
    def from_args(cls, args: Any, default_limit: int = 10) -> "SearchArgs":
        """Read a request's query arguments (kb.requests' rules); QueryError for a bad one."""
        request = parse_request({name: args.getlist(name) for name in NAMES}, default_limit)
        return cls(**vars(request), default_limit=default_limit)

    @property
    def limit(self) -> int:
        """Sessions per page, as the URL's ``limit`` names it."""
        return self.per_page

    def request(self, **changes: Any) -> SearchRequest:
        """The service's :class:`SearchRequest` for these arguments."""
        fields = {name: value for name, value in vars(self).items() if name != "default_limit"}
        return SearchRequest(**{**fields, **changes})

    def selected(self, facet) -> tuple[str, ...]:
        """The selected values of ``facet`` ("event", "topic" or "year")."""
        return getattr(self, FACET_PARAMS[facet])

    def with_selection(self, facet, values) -> "SearchArgs":
        """These arguments with another selection of ``facet``, back on page 1."""
        changes: dict[str, Any] = {FACET_PARAMS[facet]: tuple(values)}
        return replace(self, page=1, **changes)

    def toggled(self, facet, value) -> "SearchArgs":
        """These arguments with ``value`` of ``facet`` selected if it was not, else removed."""
        current = self.selected(facet)
        if value in current:
            return self.with_selection(facet, [v for v in current if v != value])
        return self.with_selection(facet, [*current, value])

    def items(self) -> dict[str, Any]:
        """URL query items, leaving out defaults, in a stable order."""
        items: dict[str, Any] = {}
        if self.q:
            items["q"] = self.q
        for facet, attr in FACET_PARAMS.items():
            if getattr(self, attr):
                items[facet] = list(getattr(self, attr))
        if self.sort != "relevance":
            items["sort"] = self.sort
        if self.page != 1:
            items["page"] = self.page
        if self.limit != self.default_limit:
            items["limit"] = self.limit
        return items

    @property
    def filtered(self) -> bool:
        """Whether anything narrows the results."""
        return bool(self.q or self.events or self.topics or self.years)
