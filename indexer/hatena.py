"""Turn Hatena Blog (Movable Type) export entries into note Markdown."""

import re
import unicodedata
from urllib.parse import quote, unquote
from typing import Any

import yaml

from kb.indexer.html_markdown import html_to_markdown
from kb.indexer.movabletype import ExportError
from kb.indexer.notes import has_sessions

# Characters no file system or shell should have to deal with in a file name.
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#%&{}$!\'@`=+\s]+')
MAX_NAME_CHARS = 80  # Japanese takes 3 bytes a character; file names stop at 255 bytes


def permalink(blog_url, basename) -> str:
    """The entry's address, ``<blog url>/entry/<BASENAME>``, each path segment percent-encoded."""
    segments = (quote(unquote(part), safe="") for part in basename.strip("/").split("/"))
    return f"{blog_url.rstrip('/')}/entry/{'/'.join(segments)}"


def note_file_name(basename) -> str:
    """A safe file name (``.md``) for an entry's note, from its BASENAME."""
    name = unicodedata.normalize("NFC", unquote(basename))
    name = _UNSAFE_NAME.sub("-", name).strip("-.")[:MAX_NAME_CHARS].strip("-.")
    return f"{name or 'entry'}.md"


def entry_to_note(entry, blog_url=None, source="<export>", note_id=None) -> str:
    """The note Markdown for an entry; an ExportError if its HTML is broken."""
    body_section = entry.section("BODY")
    first_line = body_section.line if body_section else entry.line
    # EXTENDED BODY is the part after "read more"; one note holds both.
    html_text = "\n".join(t for t in (entry.text("BODY"), entry.text("EXTENDED BODY")) if t)
    converted = html_to_markdown(html_text)
    if converted.problems:
        problem = converted.problems[0]
        raise ExportError(source, first_line + problem.line - 1, f"invalid HTML: {problem.message}")
    title = entry.title.strip() or entry.basename
    markdown = converted.markdown
    if not has_sessions(markdown):  # as the note will be read: a quoted heading is none
        markdown = f"## {_one_line(title)}\n\n{markdown}".rstrip()
    return render_note(note_fields(entry, title, blog_url, note_id), markdown)


def note_fields(entry, title, blog_url=None, note_id=None) -> dict[str, Any]:
    """The front matter of an entry's note, in the order it is written."""
    fields = {"event": _one_line(title)}
    if note_id:
        # Titles repeat across posts ("Weekly notes"); the id keeps each post its own event.
        fields["id"] = note_id
    if entry.date:
        fields["date"] = entry.date.date()
    if blog_url and entry.basename:
        fields["url"] = permalink(blog_url, entry.basename)
    if entry.categories:
        fields["tags"] = list(entry.categories)
    if entry.author:
        fields["author"] = entry.author
    if entry.is_draft:
        fields["draft"] = True
    return fields


def render_note(fields, markdown) -> str:
    """A note: YAML front matter (lists in flow style: ``tags: [a, b]``), then the Markdown."""
    lines = [_yaml_field(key, value) for key, value in fields.items()]
    return "---\n" + "".join(lines) + f"---\n{markdown.strip()}\n"


def _yaml_field(key, value):
    """One front matter line; YAML quotes what needs it (a title with ': ' or ' #')."""
    if isinstance(value, list):
        flow = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
        return f"{key}: {flow.strip()}\n"
    return yaml.safe_dump({key: value}, allow_unicode=True, width=10_000)


def _one_line(text):
    return " ".join(text.split())
