"""The note format: Markdown with YAML front matter, one event per file.

``parse_note`` is a pure function from text to an :class:`~kb.model.Event`;
every problem is a :class:`~kb.errors.NoteError` naming the source and line.
"""

import re

from kb.errors import NoteError
from kb.model import Event, Image, Session
from kb.text import inline_text, slugify

from kb.indexer.frontmatter import (
    event_fields,
    metadata_list,
    parse_date,
    split_front_matter,
)

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_SESSION_HEADING = re.compile(r"^##(?!#)[ \t]*(.*?)[ \t]*#*[ \t]*$")
_METADATA = re.compile(
    r"^(speakers?|tags|topics|url|anchor|date|slug)[ \t]*:[ \t]*(.*?)[ \t]*$"
)
# [f:id:misshiki:20200619132403p:plain], also bare as it shows in copied pages
_FOTOLIFE = re.compile(
    r"\[?f:id:([A-Za-z0-9_-]+):(\d{8})(\d{6})([pjgb])(?::[a-z0-9]+)*\]?"
)
_FOTOLIFE_EXT = {"p": "png", "j": "jpg", "g": "gif", "b": "bmp"}
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def fotolife_url(user, day, time, kind):
    """The public URL of a Hatena Fotolife image."""
    ext = _FOTOLIFE_EXT[kind]
    return (f"https://cdn-ak.f.st-hatena.com/images/fotolife/"
            f"{user[0]}/{user}/{day}/{day}{time}.{ext}")


def expand_fotolife(line):
    """Turn a line that is only a Fotolife reference into a Markdown image."""
    m = _FOTOLIFE.fullmatch(line.strip())
    if not m:
        return line
    return f"![]({fotolife_url(*m.groups())})"


def _is_plain(line):
    """A line of text that can serve as an image caption."""
    s = line.strip()
    return bool(s) and not s.startswith(("#", "-", "*", "+", ">", "|", "```", "~~~", "!["))\
        and not re.match(r"\d+[.)]\s", s)


def extract_images(lines):
    """Images of a session with captions: the line right under an image, else its alt."""
    images = []
    for i, line in enumerate(lines):
        for m in _IMAGE.finditer(line):
            alt, url = m.group(1).strip(), m.group(2)
            caption = alt
            alone = _IMAGE.sub("", line).strip() == ""
            if alone and i + 1 < len(lines) and _is_plain(lines[i + 1]):
                caption = lines[i + 1].strip()
            images.append(Image(url=url, caption=caption))
    return tuple(images)


def _split_sections(lines, first_line):
    """Split body lines at ``##`` headings outside code fences.

    Returns the intro lines and a list of (line number, title, lines).
    """
    intro, sections, fence = [], [], None
    current = intro
    for offset, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            fence = None if fence == m.group(1) else (fence or m.group(1))
        heading = None if fence or m else _SESSION_HEADING.match(line)
        if heading:
            current = []
            sections.append((first_line + offset, inline_text(heading.group(1)), current))
        else:
            current.append(line)
    return intro, sections


def _session_metadata(lines, line_no):
    """Read ``key: value`` lines right under a heading; return (meta, rest)."""
    meta, i = {}, 0
    while i < len(lines):
        m = _METADATA.match(lines[i])
        if not m:
            break
        key = {"speaker": "speakers", "topics": "tags"}.get(m.group(1), m.group(1))
        meta[key] = (m.group(2), line_no + 1 + i)
        i += 1
    return meta, lines[i:]


def _strip_blank(lines):
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def make_session(event, index, line_no, title, lines, meta, source, used):
    """A Session from its title, Markdown lines and metadata {key: (value, line)}.

    ``used`` holds the slugs taken so far in the event, to keep ids unique.
    """
    if not title:
        raise NoteError(source, line_no, "session has no title")
    lines = [expand_fotolife(line) for line in _strip_blank(list(lines))]
    slug = slugify(str(meta["slug"][0])) if "slug" in meta else slugify(title)
    slug = slug or f"session-{index + 1}"
    base, n = slug, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    date = event.date
    if "date" in meta:
        value, at = meta["date"]
        date = parse_date(value, source, at) or event.date
    url = event.url
    if meta.get("url", ("", 0))[0]:
        url = str(meta["url"][0]).strip()
    elif meta.get("anchor", ("", 0))[0] and event.url:
        url = f"{event.url.split('#')[0]}#{str(meta['anchor'][0]).lstrip('#')}"
    return Session(
        id=f"{event.id}/{slug}", slug=slug, event_id=event.id, title=title,
        body="\n".join(lines), position=index, date=date,
        speakers=metadata_list(meta.get("speakers", ("", 0))[0]),
        tags=metadata_list(meta.get("tags", ("", 0))[0]),
        url=url, images=extract_images(lines), line=line_no,
    )


def parse_note(text, source="<string>"):
    """Parse one note (front matter + Markdown) into an Event with its sessions."""
    if "\x00" in text:
        raise NoteError(source, 1, "not a text file (it contains NUL bytes)")
    data, body_lines, body_start = split_front_matter(text, source)
    event = event_fields(data, text, source)
    intro, sections = _split_sections(body_lines, body_start)
    if not sections and "event" not in data and any(line.strip() for line in intro):
        # a blog post without ## headings is one session, titled like the post
        sections, intro = [(body_start, event.name, intro)], []
    used, sessions = set(), []
    for i, (line_no, title, lines) in enumerate(sections):
        if not title:
            raise NoteError(source, line_no, "session heading '##' has no title")
        meta, rest = _session_metadata(lines, line_no)
        sessions.append(make_session(event, i, line_no, title, rest, meta, source, used))
    return Event(
        id=event.id, name=event.name, date=event.date, end_date=event.end_date,
        url=event.url, tags=event.tags, intro="\n".join(_strip_blank(intro)),
        author=event.author, draft=event.draft, source=str(source),
        sessions=tuple(sessions),
    )
