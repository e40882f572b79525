"""A segment's term table and posting blocks, written a field at a time, are whoosh's bytes."""

import pytest
from whoosh.analysis import DelimitedAttributeFilter, SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter
import numpy as np

from kb.analysis import RememberingAnalyzer
from kb.engine import adding
from kb.engine.blocks import flush_segment
from kb.engine.pool import CompactPool
from kb.engine.termfiles import length_bytes

from tests.kb.engine.test_adding import segment_files
from tests.kb.engine.test_pool import postings


def write(folder, schema, docs, compact):
    """An index of ``docs`` written by whoosh itself, or through a CompactPool."""
    ix = FileStorage(str(folder)).create().create_index(schema)
    writer = SegmentWriter(ix, compound=False)
    if compact:
        writer.pool = CompactPool()
        writer._flush_segment = lambda: flush_segment(writer)
    for doc in docs:
        if compact:
            adding.add_document(writer, doc)
        else:
            writer.add_document(**doc)
    writer.commit()
    return ix


def test_length_bytes_are_whooshs():
    lengths = np.array([0, 1, 2, 3, 27, 28, 100, 999, 1000, 106373, 106374, 10 ** 7])
    assert length_bytes(lengths).tolist() == [length_to_byte(n) for n in lengths.tolist()]


@pytest.mark.parametrize("count", [1, 128, 129, 300])
def test_weights_of_every_kind_over_several_blocks(tmp_path, count):
    # weights whose float32 sums depend on the order they are added in, terms in
    # one document or all, frequencies (a keyword field), bare ids, and a field
    # whose documents mostly have no length
    boosted = RememberingAnalyzer(SpaceSeparatedTokenizer(), DelimitedAttributeFilter())
    schema = Schema(id=ID(stored=True), tags=KEYWORD(scorable=True, commas=True),
                    body=TEXT(analyzer=boosted, phrase=True),
                    note=TEXT(analyzer=boosted, phrase=False))
    docs = [{"id": f"d{n}", "tags": "a,b" if n % 3 else "a,a,c",
             "body": f"gpu^0.1 cuda^{1 + n % 7 / 3} gpu w{n} w{n % 5}^2.5 all",
             **({"note": f"rare^0.7 n{n}"} if n % 50 == 0 else {})} for n in range(count)]
    theirs = write(tmp_path / "whoosh", schema, docs, compact=False)
    mine = write(tmp_path / "kb", schema, docs, compact=True)
    files = segment_files(tmp_path / "kb")
    del files["kbp"]  # kb's own arrays, beside whoosh's files
    assert files == segment_files(tmp_path / "whoosh")
    assert postings(mine) == postings(theirs)


def test_no_documents(tmp_path):
    schema = Schema(id=ID(stored=True), body=TEXT())
    docs = [{"id": "a"}]  # a document, but no postings but its id's
    write(tmp_path / "whoosh", schema, docs, compact=False)
    write(tmp_path / "kb", schema, docs, compact=True)
    files = segment_files(tmp_path / "kb")
    del files["kbp"]
    assert files == segment_files(tmp_path / "whoosh")


def test_texts_some_of_whose_words_weigh_more(tmp_path):
    # postings kept as positions until a text with a boosted word comes, then as values
    boosted = RememberingAnalyzer(SpaceSeparatedTokenizer(), DelimitedAttributeFilter())
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=boosted, phrase=True))
    docs = [{"id": f"d{n}", "body": f"gpu cuda w{n} gpu{'^2' if n % 3 == 2 else ''} all"}
            for n in range(200)]
    theirs = write(tmp_path / "whoosh", schema, docs, compact=False)
    mine = write(tmp_path / "kb", schema, docs, compact=True)
    files = segment_files(tmp_path / "kb")
    del files["kbp"]
    assert files == segment_files(tmp_path / "whoosh")
    assert postings(mine) == postings(theirs)
