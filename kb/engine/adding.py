"""Adding a document to a new segment: whoosh's ``add_document``, without a token object per word.

Whoosh's positions format asks the analyzer for a token object per word,
groups them by text and hands the pool one posting at a time. kb's analyzers
remember each text's terms grouped by word (see kb.analysis.RememberingAnalyzer):
here a field's postings are made from those groups and given to a
:class:`~kb.engine.pool.CompactPool` a document's field at a time, as each
term's positions (whose values the pool makes when it writes them). The
postings are the ones whoosh makes (the tests compare the files written);
every other step (stored fields, lengths, columns, vectors) is whoosh's own.
"""

from __future__ import annotations

from typing import Any, Iterator

from whoosh.analysis import CompositeAnalyzer, IDTokenizer, RegexTokenizer, StripFilter
from whoosh.compat import dumps
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint


def add_document(writer: Any, fields: dict[str, Any]) -> None:
    """Add a document to a whoosh SegmentWriter whose pool is a CompactPool."""
    writer._check_state()
    perdocwriter = writer.perdocwriter
    schema = writer.schema
    docnum = writer.docnum
    pool = writer.pool
    fieldnames = sorted(name for name in fields if not name.startswith("_"))
    # no "_boost", "_<field>_boost" or "_stored_<field>": boosts of 1, values stored as given
    plain = len(fieldnames) == len(fields)
    docboost = 1.0 if plain else writer._doc_boost(fields)
    writer._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                fieldboost = docboost if plain else writer._field_boost(fields, fieldname,
                                                                        docboost)
                grouped = _grouped(field, value) if fieldboost == 1.0 else None
                if grouped is not None:  # the usual case: a text's words, weighed by count
                    if field.scorable:
                        length = sum(map(len, grouped.values()))
                    pool.add_positions(fieldname, docnum, grouped)
                else:
                    items = list(_index(field, value))
                    if field.scorable:
                        length = sum(item[1] for item in items)
                    pool.add_document_field(fieldname, docnum, fieldboost, items)
            customval = value if plain else fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
    except Exception:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1


def fits(schema: Any) -> bool:
    """Whether :func:`add_document` writes all a schema asks: no field has spelling or vectors."""
    return not any(field.separate_spelling() or field.vector for _, field in schema.items())


def _grouped(field: Any, value: Any) -> dict[str, list[int]] | None:
    """The positions of each term of a text whose every word weighs 1, grouped by term;
    None for any other value or field (see :func:`_index`)."""
    grouping = getattr(field.analyzer, "positions", None)
    if (type(field.format) is not Positions or grouping is None or not isinstance(value, str)
            or field.format.field_boost != 1.0):
        return None
    return grouping(value)  # grouped once for tagging, key terms and the index (None: boosted)


def _index(field: Any, value: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
    """(term bytes, frequency, weight, value bytes) of each term of a field's value, as whoosh's."""
    grouping = getattr(field.analyzer, "positions", None)
    if type(field.format) is not Positions or grouping is None or not isinstance(value, str):
        keys = _keys(field, value)
        yield from field.index(value) if keys is None else keys
        return
    grouped = grouping(value)  # grouped once for tagging, key terms and the index
    boosted = grouped is None
    weights: dict[str, float] = {}
    if boosted:  # a term's weight is its count where every boost is 1
        grouped = {}
        for text, boost, pos, _, _ in field.analyzer.terms(value, positions=True, mode="index"):
            grouped.setdefault(text, []).append(pos)
            weights[text] = weights.get(text, 0.0) + boost
    positions: dict[str, list[int]] = grouped
    boost = field.format.field_boost
    ones, known = _ONE_POSITION, len(_ONE_POSITION)
    for text, poslist in positions.items():
        count = len(poslist)
        value = ones[poslist[0]] if count == 1 and poslist[0] < known else _value(poslist)
        yield (text.encode("utf-8"), count, (weights[text] if boosted else float(count)) * boost,
               value)


def _keys(field: Any, value: Any) -> list[tuple[bytes, int, float, bytes]] | None:
    """What ``field.index(value)`` gives for an ID field's text (one term, the whole text) or a
    comma-separated KEYWORD field's (each stripped piece, weighed by count); None for any other
    field or value. Whoosh makes a token object per term and runs it through generators: for
    the eight such fields of a session, a tenth of adding it."""
    if not isinstance(value, str):
        return None
    fmt, analyzer = field.format, field.analyzer
    if type(fmt) is Existence and type(analyzer) is IDTokenizer:
        return [(value.encode("utf-8"), 1, fmt.field_boost, b"")]
    if type(fmt) is not Frequency or not _comma_separated(analyzer):
        return None
    counts: dict[str, int] = {}
    for piece in value.split(","):  # the matches of [^,]+: the pieces that are not empty
        if piece:
            text = piece.strip()
            counts[text] = counts.get(text, 0) + 1
    boost = fmt.field_boost
    return [(text.encode("utf-8"), count, float(count) * boost, pack_uint(count))
            for text, count in counts.items()]


def _comma_separated(analyzer: Any) -> bool:
    """Whether ``analyzer`` is whoosh's KeywordAnalyzer(commas=True) (CommaSeparatedTokenizer)."""
    if type(analyzer) is not CompositeAnalyzer or len(analyzer.items) != 2:
        return False
    tokenizer, strip = analyzer.items
    return (type(tokenizer) is RegexTokenizer and not tokenizer.gaps
            and tokenizer.expression.pattern == "[^,]+" and type(strip) is StripFilter)


def _value(positions: list[int]) -> bytes:
    """Whoosh's value of a posting at ``positions``: their count, then the gaps pickled."""
    deltas = [pos - before for before, pos in zip([0, *positions], positions)]
    return pack_uint(len(positions)) + dumps(deltas, 2)


# whoosh's value of a posting at one position (its one delta), for the first positions:
# most words occur once in a text, and pickling each one's list was a tenth of adding it
_ONE_POSITION = tuple(pack_uint(1) + dumps([pos], 2) for pos in range(4096))
