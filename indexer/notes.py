"""The note format: Markdown with YAML front matter, one event per file.

``parse_note`` is a pure function from text to an :class:`~kb.model.Event`;
every problem is a :class:`~kb.errors.NoteError` naming the source and line.
The Markdown is read once, by :func:`kb.text.parse_markdown`: sessions are its
top-level ``##`` headings, and each session's text and images come from the
same tokens.
"""

import re
from dataclasses import dataclass

from kb.errors import NoteError
from kb.model import Event, Image, Session
from kb.text import (inline_text, invisible_character, parse_markdown, pictures, slugify,
                     tokens_to_text)

from kb.indexer.frontmatter import (
    event_fields,
    metadata_list,
    parse_date,
    split_front_matter,
)

_METADATA = re.compile(
    r"^(speakers?|tags|topics|url|anchor|date|slug)[ \t]*:[ \t]*(.*?)[ \t]*$"
)
# [f:id:misshiki:20200619132403p:plain], also bare as it shows in copied pages
_FOTOLIFE = re.compile(
    r"\[?f:id:([A-Za-z0-9_-]+):(\d{8})(\d{6})([pjgb])(?::[a-z0-9]+)*\]?"
)
_FOTOLIFE_EXT = {"p": "png", "j": "jpg", "g": "gif", "b": "bmp"}
# A slug set by hand is kept as written, however long, up to what a URL can carry
# comfortably: 200 characters are 1,800 percent-encoded, well under servers' limits.
MAX_PINNED_SLUG = 200


@dataclass(frozen=True)
class Draft:
    """A session before its slug is known: heading line, title, notes and metadata.

    ``meta`` maps a key to (value, line).
    """

    line: int
    title: str
    body: str
    text: str
    images: tuple[Image, ...]
    meta: dict


def fotolife_url(user: str, day: str, time: str, kind: str) -> str:
    """The public URL of a Hatena Fotolife image."""
    ext = _FOTOLIFE_EXT[kind]
    return (f"https://cdn-ak.f.st-hatena.com/images/fotolife/"
            f"{user[0]}/{user}/{day}/{day}{time}.{ext}")


def expand_fotolife(line: str) -> str:
    """Turn a line that is only a Fotolife reference into a Markdown image."""
    m = _FOTOLIFE.fullmatch(line.strip())
    if not m:
        return line
    return f"![]({fotolife_url(*m.groups())})"


def refuse_nul(text: str, source) -> None:
    """A NoteError on the line of the first NUL character, if there is one."""
    at = text.find("\x00")
    if at >= 0:
        raise NoteError(source, text.count("\n", 0, at) + 1,
                        "not a text file (it contains NUL bytes)")


def _session_metadata(lines, start, first_line):
    """Read ``key: value`` lines from ``lines[start]`` on; return ({key: (value, line)}, count)."""
    meta, count = {}, 0
    while start + count < len(lines):
        m = _METADATA.match(lines[start + count])
        if not m:
            break
        key = {"speaker": "speakers", "topics": "tags"}.get(m.group(1), m.group(1))
        meta[key] = (m.group(2), first_line + start + count)
        count += 1
    return meta, count


def strip_blank(lines: list[str]) -> list[str]:
    """The lines without the blank lines at either end."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _images(found):
    return tuple(Image(url=p.url, caption=p.caption) for p in found)


def read_notes(lines: list[str], line_no: int, title: str, meta: dict) -> Draft:
    """A session Draft from Markdown lines read on their own (as YAML event files hold them)."""
    lines = [expand_fotolife(line) for line in strip_blank(list(lines))]
    tokens = parse_markdown("\n".join(lines))
    return Draft(line_no, title, "\n".join(lines), tokens_to_text(tokens),
                 _images(pictures(tokens)), meta)


def _heading_indexes(tokens):
    """Indexes of the tokens opening session headings: ``##`` at the top level."""
    return [i for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.markup == "##" and t.level == 0]


def has_sessions(markdown: str) -> bool:
    """Whether Markdown has a session heading, as :func:`parse_note` reads it."""
    return bool(_heading_indexes(parse_markdown(markdown)))


def _drafts(lines, tokens, first_line, source):
    """The intro (Markdown, text) and a Draft per session of a note body."""
    heads = _heading_indexes(tokens)
    starts = [tokens[i].map[0] for i in heads]
    first = starts[0] if starts else len(lines)
    intro_end = heads[0] if heads else len(tokens)
    intro = ("\n".join(strip_blank(lines[:first])), tokens_to_text(tokens[:intro_end]))
    drafts = []
    for n, (i, at) in enumerate(zip(heads, starts)):
        end_line = starts[n + 1] if n + 1 < len(starts) else len(lines)
        end_token = heads[n + 1] if n + 1 < len(heads) else len(tokens)
        title = inline_text(tokens[i + 1].children or [])
        if not title:
            raise NoteError(source, first_line + at, "session heading '##' has no title")
        meta, count = _session_metadata(lines, at + 1, first_line)
        section = tokens[i + 3:end_token]
        skip = frozenset(range(at + 1, at + 1 + count))
        drafts.append(Draft(first_line + at, title,
                            "\n".join(strip_blank(lines[at + 1 + count:end_line])),
                            tokens_to_text(section, skip), _images(pictures(section)), meta))
    return intro, drafts


def _pinned_slug(draft, source):
    """The slug a session's ``slug:`` line sets, checked; None without one."""
    if "slug" not in draft.meta:
        return None
    value, line = draft.meta["slug"]
    value = str(value).strip()
    invisible = invisible_character(value)
    if invisible:
        raise NoteError(source, line, f"invalid slug {value!r}: it contains an invisible "
                                      f"character ({invisible}); write the slug without it")
    slug = slugify(value, max_length=None)
    if not slug:
        raise NoteError(source, line, f"invalid slug {value!r}: use letters, digits and '-'")
    if len(slug) > MAX_PINNED_SLUG:
        raise NoteError(source, line, f"slug of {len(slug)} characters: a slug set by hand "
                                      f"may have at most {MAX_PINNED_SLUG}")
    return slug


def assign_slugs(drafts: list[Draft], source) -> list[str]:
    """A unique slug per session: slugs set by hand first, then slugs of titles around them.

    A slug set with ``slug:`` keeps the id its author pinned; a slug made from a
    title that would take it moves on to ``-2``, ``-3``. Counting on from the
    last suffix given keeps this linear even for thousands of equal titles.
    """
    pinned = [_pinned_slug(d, source) for d in drafts]
    taken = {}
    for draft, slug in zip(drafts, pinned):
        if slug is None:
            continue
        if slug in taken:
            raise NoteError(source, draft.meta["slug"][1],
                            f"slug {slug!r} is already set on line {taken[slug]}")
        taken[slug] = draft.meta["slug"][1]
    used, next_suffix, slugs = set(taken), {}, []
    for index, (draft, slug) in enumerate(zip(drafts, pinned)):
        if slug is None:
            base = slugify(draft.title) or f"session-{index + 1}"
            slug = base
            if slug in used:
                n = next_suffix.get(base, 2)
                while f"{base}-{n}" in used:
                    n += 1
                slug, next_suffix[base] = f"{base}-{n}", n + 1
            used.add(slug)
        slugs.append(slug)
    return slugs


def make_sessions(event: Event, drafts: list[Draft], source) -> tuple[Session, ...]:
    """The Sessions of an event from their Drafts."""
    for draft in drafts:
        if not draft.title:
            raise NoteError(source, draft.line, "session has no title")
    sessions = []
    for index, (draft, slug) in enumerate(zip(drafts, assign_slugs(drafts, source))):
        meta = draft.meta
        date = event.date
        if "date" in meta:
            value, at = meta["date"]
            date = parse_date(value, source, at) or event.date
        url = event.url
        if meta.get("url", ("", 0))[0]:
            url = str(meta["url"][0]).strip()
        elif meta.get("anchor", ("", 0))[0] and event.url:
            url = f"{event.url.split('#')[0]}#{str(meta['anchor'][0]).lstrip('#')}"
        sessions.append(Session(
            id=f"{event.id}/{slug}", slug=slug, event_id=event.id, title=draft.title,
            body=draft.body, position=index, date=date,
            speakers=metadata_list(meta.get("speakers", ("", 0))[0]),
            tags=metadata_list(meta.get("tags", ("", 0))[0]),
            url=url, images=draft.images, line=draft.line, text=draft.text,
        ))
    return tuple(sessions)


def parse_note(text: str, source="<string>") -> Event:
    """Parse one note (front matter + Markdown) into an Event with its sessions."""
    refuse_nul(text, source)
    data, body_lines, body_start = split_front_matter(text, source)
    event = event_fields(data, text, source)
    lines = [expand_fotolife(line) for line in body_lines]
    tokens = parse_markdown("\n".join(lines))
    (intro, intro_text), drafts = _drafts(lines, tokens, body_start, source)
    if not drafts and "event" not in data and intro:
        # a blog post without ## headings is one session, titled like the post
        meta, count = _session_metadata(lines, 0, body_start)
        drafts = [Draft(body_start, event.name, "\n".join(strip_blank(lines[count:])),
                        tokens_to_text(tokens, frozenset(range(count))),
                        _images(pictures(tokens)), meta)]
        intro, intro_text = "", ""
    return Event(
        id=event.id, name=event.name, date=event.date, end_date=event.end_date,
        url=event.url, tags=event.tags, intro=intro, author=event.author,
        draft=event.draft, source=str(source), sessions=make_sessions(event, drafts, source),
        intro_text=intro_text,
    )
