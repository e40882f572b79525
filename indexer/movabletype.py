"""Parse Movable Type import/export text (what Hatena Blog exports) into entries.

An entry is a header of ``KEY: value`` lines, then multi-line sections (``BODY:``,
``EXTENDED BODY:``, ``COMMENT:`` ...) each closed by a line ``-----``, and the entry is
closed by a line ``--------``. A broken entry becomes an ``ExportError`` naming its line;
the other entries are still returned.
"""

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from kb.errors import NoteError

ENTRY_END = "--------"
SECTION_END = "-----"
SECTIONS = ("BODY", "EXTENDED BODY", "EXCERPT", "KEYWORDS", "COMMENT", "PING")
JST = timezone(timedelta(hours=9), "JST")

_SECTION_START = re.compile(r"(%s):[ \t]*" % "|".join(SECTIONS))
# After a "-----" line, any "NAME:" line opens a section: later MT versions add some.
_ANY_SECTION_START = re.compile(r"([A-Z][A-Z ]*[A-Z]):[ \t]*")
_HEADER = re.compile(r"([^\s:][^:]*?)[ \t]*:[ \t]?(.*)")
_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?"
)
# Splitting on these alone keeps U+2028 and form feeds inside bodies intact.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class ExportError(NoteError):
    """A broken entry in an export, as ``file:line: message``."""


@dataclass(frozen=True)
class Section:
    """A multi-line section of an entry: its name, text and first text line."""

    name: str
    text: str
    line: int


@dataclass(frozen=True)
class Entry:
    """One entry of an export; ``fields`` keeps every header line, unknown keys too."""

    line: int
    title: str = ""
    basename: str = ""
    author: str = ""
    status: str = ""
    date: datetime | None = None  # aware, Japan time
    categories: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()

    @property
    def is_draft(self) -> bool:
        """True for an entry saved as a draft (STATUS: Draft)."""
        return self.status.strip().casefold() == "draft"

    def section(self, name) -> Section | None:
        """The first section called ``name``, or None."""
        return next((s for s in self.sections if s.name == name), None)

    def text(self, name) -> str:
        """The text of the first section called ``name``, or ""."""
        found = self.section(name)
        return found.text if found else ""


@dataclass(frozen=True)
class ParsedExport:
    """The entries read from an export and the errors of the entries that were not."""

    entries: tuple[Entry, ...]
    errors: tuple[ExportError, ...]


def parse_date(value) -> datetime:
    """Parse ``MM/DD/YYYY hh:mm:ss`` (optionally AM/PM) as Japan time; ValueError if bad."""
    match = _DATE.fullmatch(value.strip())
    if not match:
        raise ValueError(f"DATE {value.strip()!r} is not MM/DD/YYYY hh:mm:ss")
    month, day, year, hour, minute = (int(g) for g in match.group(1, 2, 3, 4, 5))
    second = int(match.group(6) or 0)
    meridiem = (match.group(7) or "").upper()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"DATE {value.strip()!r} has hour {hour} with {meridiem}")
        hour = hour % 12 + (12 if meridiem == "PM" else 0)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=JST)
    except ValueError as error:
        raise ValueError(f"DATE {value.strip()!r}: {error}") from None


def parse_export(text, source="<export>") -> ParsedExport:
    """Parse export text (any line ends) into a ``ParsedExport``."""
    entries, errors = [], []
    for start, lines in _split_entries(_LINE_BREAK.split(text)):
        try:
            entries.append(_parse_entry(start, lines, source))
        except ExportError as error:
            errors.append(error)
    return ParsedExport(tuple(entries), tuple(errors))


def _split_entries(lines):
    """Yield (line number, [(line number, line)]) per entry; blank-only entries are dropped."""
    start, current = None, []
    for number, line in enumerate(lines, 1):
        if line == ENTRY_END:
            if start is not None:
                yield start, current + [(number, line)]
            start, current = None, []
            continue
        if start is None and not line.strip():
            continue
        if start is None:
            start = number
        current.append((number, line))
    if start is not None:
        yield start, current


def _parse_entry(start, lines, source):
    """Build one Entry from its numbered lines (the ``--------`` line included if any)."""

    def fail(line, message):
        return ExportError(source, line, message)

    fields, sections = [], []
    section = None  # (name, first line, [text lines]) while inside a section
    closed = after_separator = False
    for number, line in lines:
        if section is not None:
            name, first, body = section
            if line == SECTION_END:
                sections.append(Section(name, "\n".join(body), first))
                section = None
            elif line == ENTRY_END or _SECTION_START.fullmatch(line):
                raise fail(first - 1, f"{name}: section not closed by a '{SECTION_END}' line")
            else:
                body.append(line)
        elif line == ENTRY_END:
            closed = True
        elif line == SECTION_END:
            after_separator = True
        elif not line.strip():
            continue
        elif match := _SECTION_START.fullmatch(line) or (
            after_separator and _ANY_SECTION_START.fullmatch(line)
        ):
            section = (match.group(1), number + 1, [])
        elif sections:
            # A header line after the sections: the entry terminator was left out.
            raise fail(start, f"entry not closed by a '{ENTRY_END}' line before line {number}")
        elif match := _HEADER.fullmatch(line):
            fields.append((match.group(1), match.group(2).strip(), number))
        else:
            raise fail(number, f"expected 'KEY: value' in the entry header, got {line[:40]!r}")
    if section is not None:
        raise fail(section[1] - 1, f"{section[0]}: section not closed by a '{SECTION_END}' line")
    if not closed:
        raise fail(start, f"entry not closed by a '{ENTRY_END}' line")
    return _entry(start, fields, sections, source)


def _entry(start, fields, sections, source):
    """Turn header fields and sections into an Entry, checking DATE."""
    values = {}
    for key, value, number in fields:
        values.setdefault(key, (value, number))
    date = None
    if "DATE" in values:
        value, number = values["DATE"]
        try:
            date = parse_date(value)
        except ValueError as error:
            raise ExportError(source, number, str(error)) from None

    def one(key):
        return values.get(key, ("",))[0]

    def many(*keys):
        return tuple(dict.fromkeys(v for k, v, _ in fields if k in keys and v))

    return Entry(
        line=start,
        title=html.unescape(one("TITLE")),
        basename=one("BASENAME"),
        author=one("AUTHOR"),
        status=one("STATUS"),
        date=date,
        categories=many("PRIMARY CATEGORY", "CATEGORY"),
        images=many("IMAGE"),
        fields=tuple((key, value) for key, value, _ in fields),
        sections=tuple(sections),
    )
