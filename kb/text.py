"""Text helpers: slugs for ids and Markdown reduced to plain text for indexing."""

import html
import re
import unicodedata

MAX_SLUG = 80

_NOT_WORD = re.compile(r"[^\w]+|_+")
_FENCE = re.compile(r"^\s*(```|~~~)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]*>")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)")
_EMPHASIS = re.compile(r"(\*\*|__|`+|~~)")


def slugify(text, max_length=MAX_SLUG):
    """A readable URL slug: Japanese kept as is, Latin folded, punctuation to '-'."""
    folded = unicodedata.normalize("NFKC", text).lower()
    slug = _NOT_WORD.sub("-", folded).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


def inline_text(markdown):
    """Plain text of one line of Markdown: links to their text, tags and markup dropped."""
    line = _IMAGE.sub("", markdown)
    line = _LINK.sub(r"\1", line)
    line = _AUTOLINK.sub("", line)
    line = _TAG.sub(" ", line)
    line = _EMPHASIS.sub("", line)
    return " ".join(html.unescape(line).split())


def markdown_to_text(markdown):
    """Plain text of Markdown notes: markup, images and link targets dropped."""
    lines = []
    for line in markdown.splitlines():
        if _FENCE.match(line):
            continue
        line = inline_text(_BLOCK_PREFIX.sub("", line))
        if line.startswith("|") or line.endswith("|"):
            line = " ".join(c.strip() for c in line.strip("|").split("|"))
        if line and not set(line) <= set("-=:| "):
            lines.append(line)
    return "\n".join(lines)
