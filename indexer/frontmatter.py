"""YAML front matter of notes and static-blog posts, read with a safe loader."""

import datetime
import re
import tomllib

import yaml

from kb.errors import NoteError
from kb.model import Event
from kb.text import slugify

_DELIMITER = re.compile(r"^(---|\+\+\+)[ \t]*$")
_CLOSER = {"---": re.compile(r"^(---|\.\.\.)[ \t]*$"), "+++": re.compile(r"^\+\+\+[ \t]*$")}
_TOML_LINE = re.compile(r"at line (\d+)")
_POST_DATE = re.compile(r"(?:^|/)(\d{4}-\d{2}-\d{2})-[^/]*$")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_LIST_SPLIT = re.compile(r"\s*[,、，]\s*")
_ID = re.compile(r"[^/\s?#%\\]+")


class NoteLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, to be checked with a line number."""


NoteLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)


def split_front_matter(text, source):
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


def _yaml(block, source):
    try:
        return yaml.load(block, Loader=NoteLoader)  # noqa: S506 (a SafeLoader)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise NoteError(source, line, f"invalid YAML in front matter: {problem}") from None


def _toml(block, source):
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        line = int(m.group(1)) + 1 if m else 1
        raise NoteError(source, line, f"invalid TOML in front matter: {exc}") from None


def key_line(text, key):
    """The line number where a front matter key is written (1 if not found)."""
    pattern = re.compile(rf"{re.escape(key)}\s*[:=]")
    for number, line in enumerate(text.splitlines()[:500], start=1):
        if pattern.match(line):
            return number
    return 1


def parse_date(value, source, line):
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
    raise NoteError(source, line, f"invalid date {str(value)!r}: write it as YYYY-MM-DD")


def metadata_list(value):
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


def _date_from_name(source):
    """Jekyll names posts YYYY-MM-DD-title.md and may leave the date out of the front matter."""
    m = _POST_DATE.search(str(source))
    return m.group(1) if m else None


def event_fields(data, text, source):
    """The event described by a front matter mapping (without sessions)."""
    name = _text_field(data, "event", text, source) or _text_field(data, "title", text, source)
    if not name:
        raise NoteError(source, 1, "front matter has no 'event' (or 'title'): "
                                   "name the event, e.g. 'event: de:code 2020'")
    event_id = _text_field(data, "id", text, source)
    if event_id is not None:
        if not _ID.fullmatch(event_id):
            raise NoteError(source, key_line(text, "id"),
                            f"invalid id {event_id!r}: use letters, digits and '-'")
    else:
        event_id = slugify(name) or slugify(str(source).rsplit("/", 1)[-1].rsplit(".", 1)[0])
    if not event_id:
        raise NoteError(source, key_line(text, "event"),
                        "cannot make an id from the event name: add 'id:'")
    tags = ()
    for key in ("tags", "topics", "categories"):
        value = data.get(key)
        if isinstance(value, dict):
            raise NoteError(source, key_line(text, key), f"'{key}' must be a list")
        tags += metadata_list(value)
    return Event(
        id=event_id,
        name=name,
        date=parse_date(data.get("date") or _date_from_name(source), source, key_line(text, "date")),
        end_date=parse_date(data.get("end_date"), source, key_line(text, "end_date")),
        url=_text_field(data, "url", text, source),
        tags=tuple(dict.fromkeys(tags)),
        author=_text_field(data, "author", text, source),
        # Hugo writes draft: true; Jekyll and Zenn write published: false
        draft=bool(data.get("draft", False)) or data.get("published", True) is False,
        source=str(source),
    )
