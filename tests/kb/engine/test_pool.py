"""The compact posting pool writes the same segment as whoosh's own pool, read back by whoosh.

A builder in a worker writes a segment every so many documents, so that its
pool never grows past a bound.
"""

from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from kb.engine import IndexStore, SegmentBuilder
from kb.engine.blocks import flush_segment
from kb.engine.pool import CompactPool
from kb.engine.schema import build_schema

NOTES = Path(__file__).resolve().parents[3] / "data" / "notes"


def documents():
    """Session-like documents from the sample notes: one per paragraph, every text field."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(NOTES.glob("*.md")))
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    for n, paragraph in enumerate(paragraphs):
        yield {"kind": "session", "id": f"s{n}", "event_id": f"e{n % 3}", "year": "2020",
               "topics": "gpu,mlops" if n % 2 else "azure", "title": paragraph[:40],
               "body": paragraph, "speakers": "佐藤 一郎\nJohn Smith" if n % 4 == 0 else "",
               "intro": paragraphs[0], "record": {"n": n}}


def write(folder, pool):
    """An index of :func:`documents` written with ``pool`` (None: whoosh's own, spilling).

    A CompactPool's postings are written a block at a time (kb.engine.blocks).

    Returns the index and how many run files the pool spilled.
    """
    ix = FileStorage(str(folder)).create().create_index(build_schema())
    # a pool limit of 100 kB makes whoosh's own pool spill to run files and merge them back
    writer = SegmentWriter(ix, limitmb=0.1, compound=False)
    if pool is not None:
        writer.pool = pool
        writer._flush_segment = lambda: flush_segment(writer)
    for doc in documents():
        writer.add_document(**doc)
    runs = len(getattr(writer.pool, "runs", ()))
    writer.commit()
    return ix, runs


def postings(ix):
    """Every posting of the index, read by whoosh: (field, term) -> [(doc, weight, value)]."""
    found = {}
    with ix.reader() as reader:
        for fieldname, term in reader.all_terms():
            matcher = reader.postings(fieldname, term)
            items = []
            while matcher.is_active():
                items.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            found[fieldname, term] = items
    return found


def segment_file(folder, ext):
    """The bytes of the one segment file of an index folder with this extension."""
    (path,) = folder.glob(f"*.{ext}")
    return path.read_bytes()


def test_the_same_postings_as_whoosh_writes(tmp_path):
    ix, runs = write(tmp_path / "whoosh", None)
    assert runs > 2
    theirs = postings(ix)
    pool = CompactPool()
    ix, runs = write(tmp_path / "compact", pool)
    assert runs == 0
    mine = postings(ix)
    # the very same bytes: postings blocks, term infos and their table
    for ext in ("pst", "trm"):
        assert segment_file(tmp_path / "compact", ext) == segment_file(tmp_path / "whoosh", ext)
    assert len(theirs) > 1000  # enough terms that the order of terms and fields is tested
    assert mine.keys() == theirs.keys()
    assert mine == theirs
    assert pool.postings() == 0  # what was written is no longer held


def test_postings_come_by_field_term_and_document():
    pool = CompactPool()
    added = [("title", b"b", 3, 1.0, b"\x01"), ("body", b"z", 0, 2.0, b""),
             ("title", b"a", 5, 1.0, b"\x02\x03"), ("title", b"b", 1, 1.5, b"\x04"),
             ("body", b"a", 2, 1.0, b"\x05")]
    for item in added:
        pool.add(item)
    assert pool.postings() == 5
    assert list(pool.iter_postings()) == sorted(added)


def test_no_value_is_an_empty_one():
    pool = CompactPool()  # whoosh writes both alike
    for item in [("id", b"y", 1, 1.0, None), ("id", b"x", 0, 1.0, b"")]:
        pool.add(item)
    assert list(pool.iter_postings()) == [("id", b"x", 0, 1.0, b""), ("id", b"y", 1, 1.0, b"")]


@pytest.mark.parametrize("count", [0, 1])
def test_small_pools(count):
    pool = CompactPool()
    for n in range(count):
        pool.add(("body", b"t", n, 1.0, b""))
    assert len(list(pool.iter_postings())) == count


def test_a_builder_writes_a_segment_every_so_many_documents(tmp_path):
    store = IndexStore(tmp_path)
    index = store.create()
    builder = SegmentBuilder(index, segment_docs=3)
    for doc in list(documents())[:7]:
        builder.add(doc)
    segments = builder.finish()
    assert len(segments) == 3  # 3 + 3 + 1
    writer = index.writer()
    writer.commit(segments)
    with index.reader() as reader:
        assert reader.doc_count == 7
        assert reader.docnum("s6") is not None
        assert reader.doc_frequency("topics", "azure") == 4  # sessions 0, 2, 4, 6


def test_a_cancelled_builder_leaves_no_segment(tmp_path):
    index = IndexStore(tmp_path).create()
    before = set(tmp_path.iterdir())
    builder = SegmentBuilder(index, segment_docs=2)
    for doc in list(documents())[:5]:
        builder.add(doc)
    builder.cancel()
    assert set(tmp_path.iterdir()) == before
