"""Queries as kb builds them: small immutable trees that any engine can answer.

The search service builds these; :mod:`kb.engine.postings` answers them over
posting arrays and :mod:`kb.engine.translate` turns them into whoosh queries
for the slower path. They are frozen and hashable, so that what a part of a
query matched can be remembered by the part itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Union


@dataclass(frozen=True, slots=True)
class Term:
    """Documents holding ``text`` in ``fieldname``."""

    fieldname: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Phrase:
    """Documents holding ``words`` in order, each 1 to ``slop`` positions after the one before."""

    fieldname: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0

    def __init__(self, fieldname: str, words: Iterable[str], slop: int = 1, boost: float = 1.0) -> None:
        object.__setattr__(self, "fieldname", fieldname)
        object.__setattr__(self, "words", tuple(words))
        object.__setattr__(self, "slop", slop)
        object.__setattr__(self, "boost", boost)


@dataclass(frozen=True, slots=True)
class _Compound:
    subqueries: tuple["Query", ...]
    boost: float = 1.0

    def __init__(self, subqueries: Iterable["Query"], boost: float = 1.0) -> None:
        object.__setattr__(self, "subqueries", tuple(subqueries))
        object.__setattr__(self, "boost", boost)


@dataclass(frozen=True, slots=True, init=False)
class Or(_Compound):
    """Documents matching any subquery, scored by the sum of the ones they match."""


@dataclass(frozen=True, slots=True, init=False)
class And(_Compound):
    """Documents matching every subquery, scored by the sum."""


@dataclass(frozen=True, slots=True)
class AndNot:
    """Documents matching ``positive`` but not ``negative``, scored by ``positive``."""

    positive: "Query"
    negative: "Query"


@dataclass(frozen=True, slots=True)
class ConstantScore:
    """Documents matching ``child``, each scored ``score``."""

    child: "Query"
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Every:
    """Every document."""


@dataclass(frozen=True, slots=True)
class Nothing:
    """No document: what a word that cannot match becomes."""


NOTHING = Nothing()

Query = Union[Term, Phrase, Or, And, AndNot, ConstantScore, Every, Nothing]


def leaves(query: Query) -> list[Term | Phrase]:
    """The terms and phrases of a query, depth first: what can match a word."""
    if isinstance(query, (Term, Phrase)):
        return [query]
    if isinstance(query, (Or, And)):
        return [leaf for sub in query.subqueries for leaf in leaves(sub)]
    if isinstance(query, AndNot):
        return leaves(query.positive)
    if isinstance(query, ConstantScore):
        return leaves(query.child)
    return []


__all__ = ["Term", "Phrase", "Or", "And", "AndNot", "ConstantScore", "Every", "Nothing",
           "NOTHING", "Query", "leaves"]
