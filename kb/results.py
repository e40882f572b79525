"""What a search answers: one page of hits with facets, and its JSON form.

``SearchResults.to_dict`` is the JSON contract shared by ``kb search --json``
and the web API's ``/api/search``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from kb.facets import FacetValue
from kb.records import SessionRecord
from kb.snippets import Snippet


@dataclass(frozen=True)
class Hit:
    """One session found: its record, its score (None when ordered by date) and its snippet."""

    record: SessionRecord
    score: float | None
    snippet: Snippet

    def to_dict(self) -> dict[str, Any]:
        """A session as it appears in search results (JSON)."""
        r = self.record
        return {
            "id": r.id,
            "event": {"id": r.event_id, "name": r.event_name, "date": r.event_date},
            "title": r.title, "date": r.date,
            "topics": [{"id": t.id, "label": t.label} for t in r.topics],
            "speakers": list(r.speakers), "url": r.url,
            "score": None if self.score is None else round(self.score, 4),
            "snippet": self.snippet.html(),
        }


@dataclass(frozen=True)
class SearchResults:
    """One page of results with facets."""

    query: str
    total: int
    page: int
    per_page: int
    sort: str
    hits: tuple[Hit, ...] = ()
    facets: Mapping[str, list[FacetValue]] = field(default_factory=dict)
    unlisted: Mapping[str, int] = field(default_factory=dict)  # facet values with sessions not listed
    suggestion: str | None = None
    messages: tuple[str, ...] = ()
    corrected: bool = False  # nothing matched the query: the hits are the suggestion's

    @property
    def pages(self) -> int:
        """How many pages the results fill (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def results(self) -> list[dict[str, Any]]:
        """The hits in their JSON form, as ``to_dict()["results"]`` gives them."""
        return [hit.to_dict() for hit in self.hits]

    @property
    def first(self) -> int:
        """The number of the first hit of this page (0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract."""
        return {
            "query": self.query, "total": self.total, "page": self.page,
            "results": self.results,
            "facets": {name: [v.to_dict() for v in values] for name, values in self.facets.items()},
            "facets_unlisted": dict(self.unlisted),
            "suggestion": self.suggestion, "corrected": self.corrected,
            "sort": self.sort, "limit": self.per_page, "messages": list(self.messages),
        }
