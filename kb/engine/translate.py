"""kb's queries as whoosh queries: for the slower path and for checking the fast one."""

from whoosh import query as wq

from kb.engine import query as q


def to_whoosh(query: q.Query) -> wq.Query:
    """The whoosh query that matches and scores as ``query`` does."""
    if isinstance(query, q.Term):
        return wq.Term(query.fieldname, query.text, boost=query.boost)
    if isinstance(query, q.Phrase):
        return wq.Phrase(query.fieldname, list(query.words), slop=query.slop, boost=query.boost)
    if isinstance(query, q.Or):
        return wq.Or([to_whoosh(s) for s in query.subqueries], boost=query.boost)
    if isinstance(query, q.And):
        return wq.And([to_whoosh(s) for s in query.subqueries], boost=query.boost)
    if isinstance(query, q.AndNot):
        return wq.AndNot(to_whoosh(query.positive), to_whoosh(query.negative))
    if isinstance(query, q.ConstantScore):
        return wq.ConstantScoreQuery(to_whoosh(query.child), query.score)
    if isinstance(query, q.Every):
        return wq.Every()
    if isinstance(query, q.Nothing):
        return wq.NullQuery
    raise TypeError(f"not a kb query: {query!r}")
