"""Text helpers: slugs for ids, and notes' Markdown read once, by markdown-it's tokens.

Sessions, titles, images with their captions and the plain text that is indexed
and shown in snippets all come from one token stream of one CommonMark reader,
so that they agree with each other and with the pages the notes render to (a
``##`` inside a code block, a quote or a ``:::message`` box is no session
anywhere).
"""

import bisect
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from kb.quickrules import quicken

# A generated slug takes at most 60 columns, a Japanese character two (as
# 半角60文字 / 全角30文字 is counted): an id is read in an address bar, and
# percent-encoded a Japanese character takes nine.
MAX_SLUG = 60
# Boxes of Zenn (:::message alert, :::details Title) and Qiita (:::note info), also
# written :::info:Title: their marker lines are layout, not text, save a title.
CONTAINERS = frozenset({"message", "details", "info", "note"})
# Boxes whose marker line carries a title that readers see (:::details 答え).
TITLED_CONTAINERS = frozenset({"details"})

_NOT_WORD = re.compile(r"[^\w]+|_+")
_BOX = re.compile(r"([A-Za-z]+)(:?)\s*(.*)", re.S)
_BREAKS = frozenset({"softbreak", "hardbreak"})


def slugify(text: str, max_length: int | None = MAX_SLUG) -> str:
    """A readable URL slug: Japanese kept as is, Latin folded, punctuation to '-'.

    Longer than ``max_length`` columns (None: any length), it is cut at a word
    boundary: see :func:`shorten_slug`.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    slug = _NOT_WORD.sub("-", folded).strip("-")
    return slug if max_length is None else shorten_slug(slug, max_length)


def longer_starting(ordered: list[str], prefix: str) -> list[str]:
    """The strings of ``ordered`` (sorted) longer than ``prefix`` that begin with it, in order."""
    found = []
    for text in itertools.islice(ordered, bisect.bisect_left(ordered, prefix), None):
        if not text.startswith(prefix):
            break
        if text != prefix:
            found.append(text)
    return found


def slug_width(text: str) -> int:
    """Columns ``text`` takes: two for a wide (CJK) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _script(char: str) -> str:
    """The kind of writing a character is, for finding where Japanese words may end."""
    if "\u3041" <= char <= "\u309f":
        return "hiragana"
    if "\u30a0" <= char <= "\u30ff" or "\u31f0" <= char <= "\u31ff" or "\uff66" <= char <= "\uff9f":
        return "katakana"
    if unicodedata.east_asian_width(char) in "WF":
        return "kanji" if unicodedata.category(char) == "Lo" else "wide"
    return "latin"


def _word_ends(slug: str) -> list[int]:
    """Where a slug may be cut: before a '-', and where the script changes.

    Japanese has no spaces, but a change of script is mostly a change of word
    (の|推論, モデル|推論, GPU|で). Kanji followed by hiragana is not: that is
    a verb's ending (動|かす), so it is no place to cut.
    """
    ends = []
    for i in range(1, len(slug)):
        before, after = slug[i - 1], slug[i]
        if after == "-":
            ends.append(i)
        elif before != "-":
            a, b = _script(before), _script(after)
            if a != b and not (a == "kanji" and b == "hiragana"):
                ends.append(i)
    return ends


def shorten_slug(slug: str, max_length: int = MAX_SLUG) -> str:
    """``slug`` cut at a word boundary within ``max_length`` columns.

    A space of the title (a '-') is the best place, as long as it keeps two
    thirds of the length; else the last change of script. A slug whose first
    words already fill more than half of it (one long word) is cut where the
    columns run out.
    """
    if slug_width(slug) <= max_length:
        return slug
    columns, fits = 0, 0
    for fits, char in enumerate(slug):
        columns += slug_width(char)
        if columns > max_length:
            break
    ends = [i for i in _word_ends(slug) if i <= fits]
    spaces = [i for i in ends if slug[i] == "-" and slug_width(slug[:i]) * 3 >= max_length * 2]
    cut = max(spaces or ends, default=0)
    if slug_width(slug[:cut]) * 2 < max_length:
        cut = fits
    return slug[:cut].strip("-")


def invisible_character(text: str) -> str | None:
    """The first control, zero-width or bidi-control character of ``text`` as U+XXXX, or None.

    Such characters make two ids that look the same differ, or make an id show
    reversed: ids and slugs must not hold them.
    """
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf"):
            return f"U+{ord(char):04X}"
    return None


@functools.cache
def note_markdown() -> MarkdownIt:
    """The Markdown reader of notes (one per process: it holds no state between parses).

    CommonMark with tables, strikethrough, ``:::`` boxes and ``[^1]`` footnotes.
    HTML blocks stay off, as on the pages, so both see the same blocks; inline
    HTML is recognised only so that its tags stay out of the text. Footnotes
    stay where they are written, so that each belongs to its session.
    """
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False,
                                   # extensions' switches, asked for on every list item,
                                   # link or run of '~': set, each is found without a KeyError
                                   "tasklists": False, "strikethrough_single_tilde": False,
                                   "store_labels": False, "inline_definitions": False,
                                   "alerts": False})
    md.disable("html_block")
    md.enable(["table", "strikethrough"])
    container_plugin(md, "box", validate=lambda params, *_: box_title(params) is not None)
    footnote_plugin(md)
    md.disable(["footnote_tail", "footnote_inline"])
    quicken(md, container="box")
    return md


def box_title(params: str) -> str | None:
    """The title of a ``:::`` box's marker line ("" for none), or None if it opens no box.

    ``details`` boxes and ``:::info:Title`` carry a title; in ``message alert``
    or ``note warn`` the word after the name is a style.
    """
    found = _BOX.fullmatch(params.strip())
    if not found or found.group(1).lower() not in CONTAINERS:
        return None
    name, colon, rest = found.groups()
    return rest if colon or name.lower() in TITLED_CONTAINERS else ""


def parse_markdown(markdown: str) -> list[Token]:
    """The block tokens of ``markdown`` (each with its inline children)."""
    return note_markdown().parse(markdown or "")


@dataclass(frozen=True)
class Picture:
    """An image found in Markdown: its URL and caption, and the line it is on (0-based)."""

    url: str
    caption: str
    line: int


def inline_text(children: list[Token]) -> str:
    """Plain text of inline tokens on one line: link text kept, images and tags left out."""
    return " ".join(_inline_parts(children, None, frozenset()))


def _inline_parts(children, first_line, skip_lines):
    """Words of inline tokens, line by line; lines in ``skip_lines`` are left out.

    Yields the plain text of each line; ``first_line`` None means one line.
    """
    line, parts, in_autolink = first_line, [], False
    for token in children:
        kind = token.type
        if kind in _BREAKS and first_line is not None:
            if line not in skip_lines:
                yield " ".join("".join(parts).split())
            line, parts = line + 1, []
            continue
        if kind == "link_open":
            in_autolink = token.markup == "autolink"
        elif kind == "link_close":
            in_autolink = False
        elif kind in ("text", "code_inline") and not in_autolink:
            parts.append(token.content)
        elif kind in _BREAKS or kind == "html_inline":
            parts.append(" ")
    if first_line is None or line not in skip_lines:
        yield " ".join("".join(parts).split())


def tokens_to_text(tokens: list[Token], skip_lines=frozenset()) -> str:
    """Plain text of block tokens: one line per line of text, markup and link targets dropped.

    Code keeps its lines; table rows become their cells; reference-link
    definitions and box markers are no text. ``skip_lines`` (0-based source
    lines) are left out, as session metadata is.
    """
    lines = []
    row: list[str] | None = None  # the cells of the table row being read
    for token in tokens:
        kind = token.type
        if kind == "inline":
            at = token.map[0] if token.map else 0
            if row is not None:
                row.append(inline_text(token.children or []))
            else:
                lines.extend(_inline_parts(token.children or [], at, skip_lines))
        elif kind in ("fence", "code_block"):
            lines.extend(token.content.splitlines())
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            lines.append(" ".join(cell for cell in row or () if cell))
            row = None
        elif kind == "container_box_open":
            lines.append(box_title(token.info) or "")
    return "\n".join(line for line in (" ".join(x.split()) for x in lines) if line)


def markdown_to_text(markdown: str) -> str:
    """Plain text of Markdown notes: markup, images and link targets dropped."""
    return tokens_to_text(parse_markdown(markdown))


def pictures(tokens: list[Token]) -> list[Picture]:
    """Images of block tokens, each with its caption: the line of text right under it, else its alt.

    Images alone on their line (with other images at most) take the next line
    of the same paragraph as their caption when it is text, as notes write them.
    """
    found = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        lines = _lines(token.children)
        first = token.map[0] if token.map else 0
        for n, line in enumerate(lines):
            images = [t for t in line if t.type == "image"]
            if not images:
                continue
            caption = ""
            if all(t.type == "image" or _blank(t) for t in line) and n + 1 < len(lines):
                after = lines[n + 1]
                caption = "" if any(t.type == "image" for t in after) else inline_text(after)
            for image in images:
                found.append(Picture(image.attrGet("src") or "",
                                     caption or inline_text(image.children or []), first + n))
    return found


def _lines(children):
    """Inline tokens split into lines at soft and hard breaks."""
    lines = [[]]
    for child in children:
        if child.type in _BREAKS:
            lines.append([])
        else:
            lines[-1].append(child)
    return lines


def _blank(token):
    return token.type == "text" and not token.content.strip()
