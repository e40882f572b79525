"""Search parameters of a URL: read them into a request, write them back into URLs.

Every page state is a GET URL, so the same few parameters (``q``, ``event``,
``topic``, ``year``, ``sort``, ``page``, ``limit``) are read and written here.
"""

from dataclasses import dataclass, replace

from kb.errors import QueryError
from kb.search import SearchRequest

MAX_QUERY = 500
FACET_PARAMS = {"event": "events", "topic": "topics", "year": "years"}


def _whole_number(args, name, default):
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise QueryError(f"{name} must be a whole number, not {raw!r}", name)
    return int(raw)


def _values(args, name):
    return tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))


@dataclass(frozen=True)
class SearchArgs:
    """The search parameters of one URL."""

    q: str = ""
    events: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    limit: int = 10
    default_limit: int = 10

    @classmethod
    def from_args(cls, args, default_limit=10):
        """Read a request's query arguments; raise QueryError for a malformed one."""
        q = " ".join(args.get("q", "").split())
        if len(q) > MAX_QUERY:
            raise QueryError(f"q must be at most {MAX_QUERY} characters", "q")
        return cls(
            q=q, events=_values(args, "event"), topics=_values(args, "topic"),
            years=_values(args, "year"), sort=args.get("sort", "").strip() or "relevance",
            page=_whole_number(args, "page", 1),
            limit=_whole_number(args, "limit", default_limit), default_limit=default_limit,
        )

    def request(self, **changes):
        """The service's :class:`SearchRequest` for these arguments."""
        return SearchRequest(q=self.q, events=self.events, topics=self.topics, years=self.years,
                             sort=self.sort, page=self.page, per_page=self.limit, **changes)

    def selected(self, facet):
        """The selected values of ``facet`` ("event", "topic" or "year")."""
        return getattr(self, FACET_PARAMS[facet])

    def with_selection(self, facet, values):
        """These arguments with another selection of ``facet``, back on page 1."""
        return replace(self, page=1, **{FACET_PARAMS[facet]: tuple(values)})

    def toggled(self, facet, value):
        """These arguments with ``value`` of ``facet`` selected if it was not, else removed."""
        current = self.selected(facet)
        if value in current:
            return self.with_selection(facet, [v for v in current if v != value])
        return self.with_selection(facet, [*current, value])

    def items(self):
        """URL query items, leaving out defaults, in a stable order."""
        items = {}
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
    def filtered(self):
        """Whether anything narrows the results."""
        return bool(self.q or self.events or self.topics or self.years)
