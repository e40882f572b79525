from datetime import datetime

import pytest

from kb.indexer.movabletype import JST, ExportError, parse_date, parse_export

ENTRY = """\
AUTHOR: example-user
TITLE: Notes &amp; thoughts &lt;live&gt;
BASENAME: 2021/07/04/133000
STATUS: Publish
ALLOW COMMENTS: 1
CONVERT BREAKS: 0
DATE: 07/04/2021 13:30:00
CATEGORY: イベント
CATEGORY: Python
IMAGE: https://img.example/a.png
-----
BODY:
<p>first</p>
<p>second</p>
-----
EXTENDED BODY:
<p>more</p>
-----
EXCERPT:

-----
--------
"""


def test_parses_header_fields_and_sections():
    (entry,) = parse_export(ENTRY, "blog.txt").entries
    assert entry.line == 1
    assert entry.title == "Notes & thoughts <live>"
    assert entry.basename == "2021/07/04/133000"
    assert entry.author == "example-user"
    assert entry.status == "Publish"
    assert not entry.is_draft
    assert entry.date == datetime(2021, 7, 4, 13, 30, tzinfo=JST)
    assert entry.categories == ("イベント", "Python")
    assert entry.images == ("https://img.example/a.png",)
    assert entry.text("BODY") == "<p>first</p>\n<p>second</p>"
    assert entry.section("BODY").line == 13
    assert entry.text("EXTENDED BODY") == "<p>more</p>"
    assert entry.text("EXCERPT") == ""
    assert entry.text("KEYWORDS") == ""
    assert ("CONVERT BREAKS", "0") in entry.fields


def test_crlf_and_cr_line_ends_give_the_same_entries():
    lf = parse_export(ENTRY)
    assert parse_export(ENTRY.replace("\n", "\r\n")) == lf
    assert parse_export(ENTRY.replace("\n", "\r")) == lf


def test_entries_carry_their_start_lines():
    export = ENTRY + "\n" + ENTRY.replace("133000", "140000")
    first, second = parse_export(export).entries
    assert (first.line, second.line) == (1, 24)
    assert second.basename == "2021/07/04/140000"
    assert second.section("BODY").line == 36


def test_unknown_keys_are_kept_and_not_fatal():
    text = ENTRY.replace("STATUS: Publish\n", "STATUS: Publish\nX-CUSTOM thing: 42\n")
    parsed = parse_export(text)
    assert parsed.errors == ()
    assert ("X-CUSTOM thing", "42") in parsed.entries[0].fields


def test_comment_and_unknown_sections_are_kept():
    sections = "-----\nCOMMENT:\nAUTHOR: a\nnice post\n-----\nNEW SECTION:\nx\n-----\nBODY:"
    (entry,) = parse_export(ENTRY.replace("-----\nBODY:", sections)).entries
    assert entry.text("COMMENT") == "AUTHOR: a\nnice post"
    assert entry.text("NEW SECTION") == "x"
    assert entry.text("BODY") == "<p>first</p>\n<p>second</p>"


def test_draft_status():
    (entry,) = parse_export(ENTRY.replace("STATUS: Publish", "STATUS: Draft")).entries
    assert entry.is_draft


@pytest.mark.parametrize(
    "value, expected",
    [
        ("06/19/2020 13:24:03", datetime(2020, 6, 19, 13, 24, 3, tzinfo=JST)),
        ("06/19/2020 01:24:03 PM", datetime(2020, 6, 19, 13, 24, 3, tzinfo=JST)),
        ("06/19/2020 12:05:00 AM", datetime(2020, 6, 19, 0, 5, tzinfo=JST)),
        ("06/19/2020 12:05:00 PM", datetime(2020, 6, 19, 12, 5, tzinfo=JST)),
        ("6/9/2020 9:05 am", datetime(2020, 6, 9, 9, 5, tzinfo=JST)),
    ],
)
def test_dates_are_japan_time_with_optional_am_pm(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["2020-06-19 13:24:03", "13/45/2021 10:00:00", "06/19/2020 13:00:00 PM", ""]
)
def test_bad_dates_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_a_bad_date_is_reported_at_its_line_and_other_entries_still_come():
    broken = ENTRY.replace("DATE: 07/04/2021 13:30:00", "DATE: 2021-07-04")
    parsed = parse_export(broken + ENTRY, "blog.txt")
    assert [e.line for e in parsed.entries] == [23]
    (error,) = parsed.errors
    assert isinstance(error, ExportError)
    assert (error.source, error.line) == ("blog.txt", 7)
    assert str(error).startswith("blog.txt:7: DATE '2021-07-04'")


def test_a_section_without_its_terminator_is_reported_where_it_starts():
    broken = ENTRY.replace("<p>second</p>\n-----\n", "<p>second</p>\n")
    parsed = parse_export(broken + ENTRY, "blog.txt")
    assert [str(e) for e in parsed.errors] == [
        "blog.txt:12: BODY: section not closed by a '-----' line"
    ]
    assert [e.line for e in parsed.entries] == [22]


def test_a_last_section_cut_off_by_the_entry_end_is_reported():
    broken = ENTRY.replace("EXCERPT:\n\n-----\n", "EXCERPT:\n\n")
    parsed = parse_export(broken, "blog.txt")
    assert parsed.entries == ()
    assert str(parsed.errors[0]) == "blog.txt:19: EXCERPT: section not closed by a '-----' line"


def test_a_missing_entry_terminator_is_reported():
    parsed = parse_export(ENTRY.replace("--------\n", ""), "blog.txt")
    assert [str(e) for e in parsed.errors] == ["blog.txt:1: entry not closed by a '--------' line"]


def test_a_header_line_that_is_not_key_value_is_reported():
    parsed = parse_export(ENTRY.replace("STATUS: Publish", "just some words"), "blog.txt")
    assert [str(e) for e in parsed.errors] == [
        "blog.txt:4: expected 'KEY: value' in the entry header, got 'just some words'"
    ]


def test_blank_text_gives_no_entries():
    assert parse_export("\n\n").entries == ()
    assert parse_export("").errors == ()
