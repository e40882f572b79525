"""Whether two index folders hold the same index: `python -m benchmarks.same_index A B`.

    python -m benchmarks.same_index INDEX_A INDEX_B [--ignore KEY ...]

Read with whoosh itself, field by field: the documents (their stored fields),
every term of every field, each term's postings (document, weight and
positions, where the field keeps them), each document's field lengths and
column values; and the posting arrays kb keeps beside each segment (.kbp),
file for file. Documents are matched by their id, so two builds that number
them differently still compare; what differs between two builds of the same
notes by design is left out: the run's time (in each session's history) reads
as one placeholder, the stamp of the readings document's id as another, and
the posting arrays of the segment holding that document are compared through
whoosh's postings only (its id's term carries the stamp). ``--ignore KEY``
leaves a record key out as well.
Prints what differs, the first few of each kind, and exits 1 if anything does.
"""

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from kb.engine.sidecar import sidecar_name

SHOWN = 5  # differences shown of each kind
RUN_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
READINGS = "readings"


def open_index(folder):
    """The current whoosh index of a kb index folder."""
    name = json.loads((Path(folder) / "kb-index.json").read_text(encoding="utf-8"))["name"]
    return FileStorage(str(folder)).open_index(indexname=name)


def document_key(fields):
    """What names a document across builds: its id (the readings document has a stamp in it)."""
    kind, found = fields.get("kind", ""), fields.get("id", "")
    return kind, found.split(":", 1)[0] if kind == READINGS else found


def scrub(value, ignore):
    """``value`` without the dictionary keys in ``ignore``, at any depth."""
    if isinstance(value, dict):
        return {k: scrub(v, ignore) for k, v in value.items() if k not in ignore}
    if isinstance(value, list):
        return [scrub(v, ignore) for v in value]
    if isinstance(value, str) and RUN_TIME.fullmatch(value):
        return "<the run's time>"
    return value


def contents(ix, ignore):
    """Everything the index holds, keyed by document ids instead of numbers."""
    with ix.reader() as reader:
        keys = {}
        documents = {}
        lengths = {}
        columns = {}
        schema = ix.schema
        scorable = [name for name, field in schema.items() if field.scorable]
        with_columns = [name for name, field in schema.items() if field.column_type]
        readers = {name: reader.column_reader(name) for name in with_columns}
        for docnum, fields in reader.iter_docs():
            key = document_key(fields)
            keys[docnum] = key
            documents[key] = scrub({k: v for k, v in fields.items() if k != "id"}, ignore)
            lengths[key] = {name: reader.doc_field_length(docnum, name, 0) for name in scorable}
            columns[key] = {name: column_value(readers[name], docnum) for name in with_columns}
        postings = {}
        for fieldname, term in reader.all_terms():
            field = schema[fieldname]
            matcher = reader.postings(fieldname, term)
            positional = field.format.supports("positions")
            items = []
            while matcher.is_active():
                items.append((keys[matcher.id()], matcher.weight(),
                              tuple(matcher.value_as("positions")) if positional else None))
                matcher.next()
            if fieldname == "id" and term.startswith(READINGS.encode() + b":"):
                term = READINGS.encode() + b":<stamp>"
            postings[fieldname, term] = sorted(items)
    return documents, lengths, columns, postings


def column_value(column, docnum):
    """A document's value in a column; whoosh's reader of a segment whose last documents
    have no value raises IndexError for them."""
    try:
        return column[docnum]
    except IndexError:
        return None


def sidecars(folder, ix):
    """The digests of the .kbp files of the current index's segments, counted, but for the
    segment holding the readings document."""
    found = Counter()
    for segment in ix._segments():
        stored = segment.codec().per_document_reader(ix.storage, segment)
        try:
            kinds = {stored.stored_fields(n).get("kind") for n in range(segment.doc_count_all())}
        finally:
            stored.close()
        if READINGS not in kinds:
            path = Path(folder) / sidecar_name(segment)
            found[hashlib.sha256(path.read_bytes()).hexdigest()] += 1
    return found


def differences(name, mine, theirs):
    """Lines naming what differs between two dicts."""
    lines = []
    only_a = mine.keys() - theirs.keys()
    only_b = theirs.keys() - mine.keys()
    changed = [k for k in mine.keys() & theirs.keys() if mine[k] != theirs[k]]
    for label, found in (("only in A", only_a), ("only in B", only_b), ("differ", changed)):
        if found:
            lines.append(f"{name}: {len(found)} {label}, e.g. "
                         + "; ".join(repr(k)[:120] for k in sorted(found, key=repr)[:SHOWN]))
    for key in sorted(changed, key=repr)[:2]:
        lines.append(f"  {key!r}: A {repr(mine[key])[:300]}")
        lines.append(f"  {key!r}: B {repr(theirs[key])[:300]}")
    return lines


def compare(folder_a, folder_b, ignore):
    """Lines saying what differs (none when the two hold the same index) and a summary."""
    a, b = open_index(folder_a), open_index(folder_b)
    lines = []
    held_a, held_b = contents(a, ignore), contents(b, ignore)
    for name, mine, theirs in zip(("documents", "field lengths", "columns", "postings"),
                                  held_a, held_b):
        lines += differences(name, mine, theirs)
    arrays = sidecars(folder_a, a)
    if arrays != sidecars(folder_b, b):
        lines.append("posting arrays (.kbp): the files differ")
    documents, _, _, postings = held_a
    summary = (f"{len(documents):,} documents, {len(postings):,} terms, "
               f"{sum(len(p) for p in postings.values()):,} postings; the posting arrays of "
               f"{sum(arrays.values())} of {len(list(a._segments()))} segments byte for byte "
               "(the other holds the readings document)")
    return lines, summary


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.same_index",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--ignore", action="append", default=[], metavar="KEY",
                        help="a record key left out of the comparison")
    args = parser.parse_args(argv)
    lines, summary = compare(args.a, args.b, set(args.ignore))
    print("\n".join(lines) if lines else f"the same index: {summary}")
    sys.exit(1 if lines else 0)


if __name__ == "__main__":
    main()
