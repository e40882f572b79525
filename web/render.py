"""Note Markdown to HTML that is safe to show: raw HTML stays text, only safe links."""

import functools
import html
import re

from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from mdit_py_plugins.container import container_plugin

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
# ":::message alert", "::: warning 注意", ":::details タイトル": a name, then a title
_CONTAINER = re.compile(r"^\s*([A-Za-z][\w-]*)\s*(.*)$")
ALERT_KINDS = frozenset({"alert", "warning", "danger", "caution"})
KNOWN_KINDS = frozenset({"message", "info", "tip", "note", "important", *ALERT_KINDS})


def _container_kind(info):
    """(kind, title) of a container's opening line, as Zenn and VitePress write them."""
    found = _CONTAINER.match(info)
    if found is None:  # the plugin's validate= lets only matching lines through
        return "note", ""
    kind, title = found.group(1).lower(), found.group(2).strip()
    if kind == "message" and title.lower() == "alert":  # Zenn's ":::message alert"
        return "alert", ""
    return kind, title


def render_container(renderer, tokens, idx, options, env) -> str:
    """A container as a box: a <details> for "details", else a note with an optional title."""
    boxes = env.setdefault("kb_boxes", [])
    token = tokens[idx]
    if token.nesting == -1:
        return "</details>\n" if boxes.pop() == "details" else "</div>\n"
    kind, title = _container_kind(token.info)
    boxes.append(kind)
    if kind == "details":
        return f'<details class="note-box note-box-details"><summary>{escape(title or "詳細")}</summary>\n'
    css = f"note-box note-box-{kind}" if kind in KNOWN_KINDS else "note-box"
    head = f'<p class="note-box-title">{escape(title)}</p>\n' if title else ""
    return f'<div class="{css}" role="note">\n{head}'


def safe_url(url) -> bool:
    """Whether a link or image URL may be shown: relative, or http(s)/mailto."""
    folded = _CONTROL.sub("", html.unescape(url or "")).lower()
    found = _SCHEME.match(folded)
    return found is None or found.group(1) in SAFE_SCHEMES


class NoteRenderer:
    """Renders notes with raw HTML disabled and unsafe links dropped; caches by text."""

    def __init__(self, cache_size=2048) -> None:
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        # Zenn's :::message / :::details and markdown-it's ::: info boxes, any name
        container_plugin(md, "box", validate=lambda info, *_: bool(_CONTAINER.match(info)),
                         render=render_container)
        md.validateLink = safe_url  # type: ignore[method-assign]  # markdown-it's documented hook
        default_image = md.renderer.rules.get("image")  # type: ignore[attr-defined]  # typed as a protocol

        def link_open(renderer, tokens, idx, options, env):
            token = tokens[idx]
            href = token.attrGet("href") or ""
            if _SCHEME.match(href.lower()):
                token.attrSet("rel", "nofollow noopener noreferrer")
            return renderer.renderToken(tokens, idx, options, env)

        def image(renderer, tokens, idx, options, env):
            tokens[idx].attrSet("loading", "lazy")
            tokens[idx].attrSet("referrerpolicy", "no-referrer")
            return default_image(tokens, idx, options, env)

        md.add_render_rule("link_open", link_open)
        md.add_render_rule("image", image)
        self._md = md
        self.render = functools.lru_cache(maxsize=cache_size)(self._render)

    def _render(self, markdown):
        """HTML of ``markdown`` as Markup (memoised: notes are rendered on every view)."""
        return Markup(self._md.render(markdown or ""))


def safe_snippet(snippet) -> Markup:
    """A search snippet (kb.snippets.Snippet) as Markup: text escaped, matches in <mark>."""
    return Markup(snippet.render(escape, lambda p: f"<mark>{escape(p)}</mark>"))


def excerpt(text, size=120) -> str:
    """The start of a plain text on one line, cut at ``size`` characters."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"
