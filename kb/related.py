"""Related sessions: sessions of other events that share a session's key terms and topics."""

from whoosh.query import Or, Term

from kb.facets import docnums

KEY_TERMS = 10
TOPIC_BOOST = 2.0


def related_sessions(service, session_id, limit=5):
    """Up to ``limit`` session records from other events most like ``session_id``.

    Answers are cached per index generation, since they only change with the index.
    """
    with service.reading() as (searcher, snapshot):
        cache = snapshot.memo.setdefault("related", {})
        key = (session_id, limit)
        if key not in cache:
            cache[key] = _find(searcher, snapshot, session_id, limit)
        return cache[key]


def _find(searcher, snapshot, session_id, limit):
    docnum = searcher.document_number(id=session_id)
    if docnum is None or not snapshot.all >> docnum & 1:
        return []
    record = searcher.stored_fields(docnum)["record"]
    text = "\n".join([record["title"], record["text"]])
    terms = [Term("body", word, boost=weight) for word, weight in
             searcher.key_terms_from_text("body", text, numterms=KEY_TERMS, normalize=True)]
    terms += [Term("topics", topic_id, boost=TOPIC_BOOST) for topic_id, _ in record["topics"]]
    if not terms:
        return []
    others = snapshot.all & ~snapshot.masks["event"].get(record["event_id"], 0)
    hits = searcher.search(Or(terms), limit=limit, filter=set(docnums(others)))
    return [hit["record"] for hit in hits]
