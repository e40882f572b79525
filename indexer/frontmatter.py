"""Front matter of notes and static-blog posts (YAML with a safe loader, or TOML).

Both are read under limits, so that a hostile note is refused with its line
instead of exhausting memory or the stack: lists and mappings nest at most
MAX_DEPTH deep, and YAML aliases may add at most ALIAS_BUDGET values to a
document (an "alias bomb" of a few hundred bytes stands for billions).
"""

import datetime
import functools
import re
import tomllib
from collections.abc import Callable
from typing import Any

import yaml

from kb.errors import NoteError
from kb.model import Event
from kb.text import invisible_character, slugify

_DELIMITER = re.compile(r"^(---|\+\+\+)[ \t]*$")
_CLOSER = {"---": re.compile(r"^(---|\.\.\.)[ \t]*$"), "+++": re.compile(r"^\+\+\+[ \t]*$")}
_TOML_LINE = re.compile(r"at line (\d+)")
_POST_DATE = re.compile(r"(?:^|/)(\d{4}-\d{2}-\d{2})-[^/]*$")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_LIST_SPLIT = re.compile(r"\s*[,、，]\s*")
_ID = re.compile(r"[^/\s?#%\\]+")
_TOML_TOKEN = re.compile(r'"""|\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}\n]')
_TOML_STRING_END = {'"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.S),
                    "'''": re.compile(r".*?'''", re.S)}
_TRUE, _FALSE = frozenset({"true", "yes", "on"}), frozenset({"false", "no", "off"})
_SLOW = object()  # a document to read with the pure-Python loader
# Where libyaml reads what the pure-Python loader refuses (tabs before a token, block
# scalars' headers, ...): a document with any of these is read by the latter alone.
_LIBYAML_DIFFERS = re.compile(r"[\t|>%!&*?\\\x85\u2028\u2029\ufeff]")

# Real front matter nests two or three levels; a deeper one is a dump or an attack.
MAX_DEPTH = 50
# What reading YAML raises: its own errors, and PyYAML's constructors failing on a tag
# without a value (``a: !!int`` takes the first character of an empty string)
YAML_FAILS = (yaml.YAMLError, ValueError, TypeError, RecursionError, IndexError, KeyError,
              AttributeError)
# Reusing a list of speakers with an alias adds a few values; a bomb adds billions.
ALIAS_BUDGET = 10_000


class Limits:
    """The limits above, checked on a document's parse events as they come.

    Each open collection counts the values it stands for, aliases counting
    what their anchor holds; :meth:`see` raises a ComposerError at the event
    that breaks a limit, before anything is composed or constructed from it.
    """

    def __init__(self) -> None:
        self._open: list = []  # [values so far, anchor] per open list or mapping
        self._sizes: dict = {}  # values each finished anchor stands for
        self._aliased = 0

    def see(self, event) -> None:
        """Count ``event``; a ComposerError if it breaks a limit."""
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            size = 1 if isinstance(event, yaml.ScalarEvent) else self._alias(event)
            if isinstance(event, yaml.ScalarEvent) and event.anchor:
                self._sizes[event.anchor] = 1
            if self._open:
                self._open[-1][0] += size
        elif isinstance(event, yaml.CollectionStartEvent):
            self._open.append([1, event.anchor])
            if len(self._open) > MAX_DEPTH:
                raise _limit(event, f"lists and mappings nest more than {MAX_DEPTH} deep")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)) and self._open:
            size, anchor = self._open.pop()
            if anchor:
                self._sizes[anchor] = size
            if self._open:
                self._open[-1][0] += size

    def _alias(self, event):
        if event.anchor not in self._sizes:
            if any(anchor == event.anchor for _, anchor in self._open):
                raise _limit(event, f"alias *{event.anchor} refers to a list or mapping "
                                    "that holds it")
            return 1  # an undefined alias: the composer says so
        self._aliased += self._sizes[event.anchor]
        if self._aliased > ALIAS_BUDGET:
            raise _limit(event, f"aliases stand for more than {ALIAS_BUDGET:,} values: "
                                "write the values out instead")
        return self._sizes[event.anchor]


def _limit(event, problem):
    return yaml.composer.ComposerError(None, None, problem, event.start_mark)


class NoteLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text and holds documents to the Limits.

    Events are checked as the parser hands them to the composer.
    """

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._limits = Limits()

    def get_event(self) -> Any:
        event = super().get_event()
        self._limits.see(event)
        return event


# libyaml's parser where PyYAML has it (a SafeLoader where not): with NoteLoader's
# constructors it reads front matter to the same values, six times faster.
class _LibyamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader on libyaml's parser that leaves dates as text (no limits of its own)."""


# (PyYAML's stubs type a constructor by its own loader class)
NoteLoader.add_constructor("tag:yaml.org,2002:timestamp",  # type: ignore[type-var]
                           yaml.SafeLoader.construct_scalar)
_LibyamlLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)


def toml_too_deep(block: str) -> int | None:
    """The 1-based line where TOML arrays and inline tables nest past MAX_DEPTH, or None.

    tomllib reads nesting by recursion: checked first, a deep note is refused
    with its line instead of exhausting the stack. Strings and comments are
    skipped, so brackets inside them do not count.
    """
    depth, line, pos = 0, 1, 0
    while found := _TOML_TOKEN.search(block, pos):
        token, pos = found.group(), found.end()
        if token == "\n":
            line += 1
        elif token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif token in ("]", "}"):
            depth = max(0, depth - 1)
        elif token in _TOML_STRING_END:
            end = _TOML_STRING_END[token].match(block, pos)
            if not end:
                return None
            line += block.count("\n", pos, end.end())
            pos = end.end()
    return None


def split_front_matter(text, source) -> tuple[dict, list[str], int]:
    """Return (mapping, body lines, line number of the first body line).

    YAML between ``---`` lines; TOML between ``+++`` lines, as Hugo writes it.
    """
    lines = text.lstrip("\ufeff").splitlines()
    opener = _DELIMITER.match(lines[0]) if lines else None
    if not opener:
        raise NoteError(source, 1, "no front matter: a note starts with a '---' line, "
                                   "then YAML with at least 'event:', then '---'")
    closer = _CLOSER[opener.group(1)]
    for end in range(1, len(lines)):
        if closer.match(lines[end]):
            break
    else:
        raise NoteError(source, 1, f"front matter is not closed by a '{opener.group(1)}' line")
    block = "\n".join(lines[1:end])
    data = _toml(block, source) if opener.group(1) == "+++" else _yaml(block, source)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise NoteError(source, 2, "front matter must be a mapping of 'key: value' lines")
    return data, lines[end + 1:], end + 2


def _quick_yaml(block):
    """``block``'s value read by libyaml within the Limits, or _SLOW.

    _SLOW when PyYAML has no libyaml, and for any document libyaml refuses or
    that breaks a limit: the pure-Python loader then reads it again, to report
    the problem with the words and the line it always has.
    """
    if not yaml.__with_libyaml__ or _LIBYAML_DIFFERS.search(block):
        return _SLOW
    try:
        limits = Limits()
        for event in yaml.parse(block, Loader=_LibyamlLoader):
            limits.see(event)
        return yaml.load(block, Loader=_LibyamlLoader)  # noqa: S506 (a CSafeLoader)
    except YAML_FAILS:
        return _SLOW


def _yaml(block, source):
    data = _quick_yaml(block)
    if data is not _SLOW:
        return data
    try:
        return yaml.load(block, Loader=NoteLoader)  # noqa: S506 (a SafeLoader)
    except YAML_FAILS as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if isinstance(exc, (IndexError, KeyError, AttributeError)):
            problem = f"a value cannot be read as its tag says ({problem})"
        raise NoteError(source, line, f"invalid YAML in front matter: {problem}") from None


def _toml(block, source):
    deep = toml_too_deep(block)
    if deep is not None:
        raise NoteError(source, deep + 1, "invalid TOML in front matter: arrays and tables "
                                          f"nest more than {MAX_DEPTH} deep")
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        line = int(m.group(1)) + 1 if m else 1
        raise NoteError(source, line, f"invalid TOML in front matter: {exc}") from None


def key_line(text, key) -> int:
    """The line number where a front matter key is written (1 if not found)."""
    pattern = re.compile(rf"{re.escape(key)}\s*[:=]")
    for number, line in enumerate(text.splitlines()[:500], start=1):
        if pattern.match(line):
            return number
    return 1


# A line number, or a function finding it, called only when there is an error to report
# (finding a key's line reads the note's lines: most notes never need it).
Line = int | Callable[[], int]


def _line(line: Line) -> int:
    return line if isinstance(line, int) else line()


def parse_date(value, source, line: Line) -> str | None:
    """A YYYY-MM-DD string from a YAML date, datetime or date-like string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    m = _DATE.match(str(value).strip())
    if m:
        try:
            return datetime.date(*map(int, m.groups())).isoformat()
        except ValueError:
            pass
    raise NoteError(source, _line(line), f"invalid date {str(value)!r}: write it as YYYY-MM-DD")


def metadata_list(value) -> tuple[str, ...]:
    """A tuple of strings from a YAML list, or a comma-separated string."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value if v is not None]
    else:
        text = str(value).strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        items = [item.strip().strip("'\"") for item in _LIST_SPLIT.split(text)]
    return tuple(dict.fromkeys(item for item in items if item))


def _text_field(data, key, text, source):
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise NoteError(source, key_line(text, key), f"'{key}' must be a single value")
    return str(value).strip() or None


def check_id(event_id: str, source, line: Line) -> None:
    """A NoteError unless ``event_id`` can be a path segment that reads as it looks."""
    invisible = invisible_character(event_id)
    if invisible:
        raise NoteError(source, _line(line), f"invalid id {event_id!r}: it contains an "
                        f"invisible character ({invisible}); write the id without it")
    if not _ID.fullmatch(event_id) or event_id in (".", ".."):
        raise NoteError(source, _line(line),
                        f"invalid id {event_id!r}: use letters, digits and '-'")


def flag(data: dict, key: str, default: bool, text: str, source) -> bool:
    """A true/false front matter value; YAML's yes/no/on/off and quoted spellings too.

    Anything else is an error rather than a guess: a note silently left out
    (or published) because of a typo is worse than being told.
    """
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    spelled = value.strip().lower() if isinstance(value, str) else None
    if spelled in _TRUE or spelled in _FALSE:
        return spelled in _TRUE
    raise NoteError(source, key_line(text, key),
                    f"'{key}' must be true or false, not {value!r}")


def _date_from_name(source):
    """Jekyll names posts YYYY-MM-DD-title.md and may leave the date out of the front matter."""
    m = _POST_DATE.search(str(source))
    return m.group(1) if m else None


def event_fields(data, text, source) -> Event:
    """The event described by a front matter mapping (without sessions)."""
    name = _text_field(data, "event", text, source) or _text_field(data, "title", text, source)
    if not name:
        raise NoteError(source, 1, "front matter has no 'event' (or 'title'): "
                                   "name the event, e.g. 'event: de:code 2020'")
    event_id = _text_field(data, "id", text, source)
    if event_id is not None:
        check_id(event_id, source, functools.partial(key_line, text, "id"))
    else:
        event_id = slugify(name) or slugify(str(source).rsplit("/", 1)[-1].rsplit(".", 1)[0])
    if not event_id:
        raise NoteError(source, key_line(text, "event"),
                        "cannot make an id from the event name: add 'id:'")
    tags: tuple[str, ...] = ()
    for key in ("tags", "topics", "categories"):
        value = data.get(key)
        if isinstance(value, dict):
            raise NoteError(source, key_line(text, key), f"'{key}' must be a list")
        tags += metadata_list(value)
    return Event(
        id=event_id,
        name=name,
        date=parse_date(data.get("date") or _date_from_name(source), source,
                        functools.partial(key_line, text, "date")),
        end_date=parse_date(data.get("end_date"), source,
                            functools.partial(key_line, text, "end_date")),
        url=_text_field(data, "url", text, source),
        tags=tuple(dict.fromkeys(tags)),
        author=_text_field(data, "author", text, source),
        # Hugo writes draft: true; Jekyll and Zenn write published: false
        draft=flag(data, "draft", False, text, source)
        or not flag(data, "published", True, text, source),
        source=str(source),
    )
