"""A new segment's per-document files written at once are the files whoosh's own writer writes."""

import pytest
from whoosh.columns import NumericColumn, RefBytesColumn, VarBytesColumn

from kb.engine import adding, perdoc

from tests.kb.engine.test_adding import segment_files, write


COLUMNS = {
    "lengths": (NumericColumn("B", default=0), [0, 3, 255, 0, 7]),
    "signed": (NumericColumn("i", default=5), [5, -3, 70_000, 5, 0]),
    "bytes": (VarBytesColumn(), [b"", b"a", b"x" * 300, b"", b"y" * 70_000]),
    # past the cutoff the offsets are written too, and filling can widen them
    "offsets": (VarBytesColumn(write_offsets_cutoff=2), [b"ab", b"x" * 200, b"c", b"", b"z"]),
    "widening": (VarBytesColumn(write_offsets_cutoff=2), [b"ab", b"c", b"", b"d", b"x" * 300]),
    "other": (RefBytesColumn(), [b"a", b"b", b"a", b"", b"c"]),
}


@pytest.mark.parametrize("name", sorted(COLUMNS))
@pytest.mark.parametrize("docs", [[0, 1, 2, 3, 4], [1, 2, 5, 6, 9], [0, 7, 8, 9, 300], []])
@pytest.mark.parametrize("extra", [0, 1, 40])
def test_a_column_as_whoosh_writes_it(name, docs, extra):
    column, values = COLUMNS[name]
    values = values[:len(docs)]
    doccount = (docs[-1] + 1 if docs else 0) + extra
    assert perdoc.column_bytes(column, docs, values, doccount) == \
        perdoc.whoosh_column_bytes(column, docs, values, doccount)


@pytest.mark.parametrize("held", [perdoc.STORED_HELD, 100])  # stored fields written in parts
def test_stored_fields_lengths_and_columns_as_whoosh_writes_them(tmp_path, monkeypatch, held):
    monkeypatch.setattr(perdoc, "STORED_HELD", held)
    docs = []
    for n in range(60):
        doc = {"kind": "session", "id": f"s{n}", "position": n % 4,
               "terms": b"" if n % 3 else bytes(range(n % 7)) * n}
        if n % 5:
            doc["title"] = "タイトル" * (n % 3)
            doc["body"] = "本文の言葉" * n
            doc["date"] = f"2020-01-{n % 28 + 1:02}"
        if n % 7 == 0:  # nothing stored
            doc = {"position": n, "topics": "gpu"}
        docs.append(doc)
    docs += [{"position": 0}] * 3  # a column's last values are its default
    write(tmp_path / "whoosh", lambda writer, doc: writer.add_document(**doc), docs=docs)
    write(tmp_path / "kb", adding.add_document, docs=docs)
    files = segment_files(tmp_path / "kb")
    assert {"position.col", "terms.col", "date.col", "_stored.col", "_body_len.col"} <= files.keys()
    assert files == segment_files(tmp_path / "whoosh")
