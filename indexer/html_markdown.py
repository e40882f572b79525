"""Convert blog HTML (Hatena Blog's rendered entries) to note Markdown.

Paragraphs, nested lists, code blocks, quotes and images with captions are kept; the top
heading level the HTML uses becomes ``##`` (a session), deeper ones ``###`` and on; any
other markup is reduced to its text, so no raw HTML reaches a note.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from kb.indexer.htmltree import Element, parse_html

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
CONTAINERS = frozenset(
    "div section article header footer main aside nav details summary address"
    " thead tbody tfoot form fieldset center body html #root".split()
)
BLOCKS = CONTAINERS | frozenset(
    "p pre ul ol li blockquote figure figcaption table tr dl dt dd hr".split()
) | frozenset(HEADINGS)
DROPPED = frozenset("script style noscript template head title button select".split())

# Hatena's own notation left in alt text (f:id:user:20200619132403p:plain) is not a caption.
_FOTOLIFE_ALT = re.compile(r"f:id:[\w-]+:\d+\w?(:\w+)*")
_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace only: U+3000 is text in Japanese


@dataclass(frozen=True)
class Converted:
    """Markdown converted from HTML, and problems found in the HTML (line, message)."""

    markdown: str
    problems: tuple
    has_headings: bool


def html_to_markdown(html_text) -> Converted:
    """Convert an HTML fragment to Markdown; headings become ``##`` and deeper."""
    root, problems = parse_html(html_text)
    levels = sorted({int(e.tag[1]) for e in _walk(root) if e.tag in HEADINGS})
    ranks = {level: min(2 + index, 6) for index, level in enumerate(levels)}
    markdown = "\n\n".join(_blocks(root, ranks))
    return Converted(markdown, tuple(problems), bool(levels))


def _walk(element):
    """Every element under ``element``, depth first."""
    for child in element.elements():
        yield child
        yield from _walk(child)


def _is_block(node):
    return isinstance(node, Element) and node.tag in BLOCKS


def _blocks(element, ranks):
    """Markdown blocks for the children of ``element``; inline runs become paragraphs."""
    blocks, run = [], []
    for node in _inline_friendly(element.children):
        if _is_block(node):
            blocks.extend(_paragraph(run))
            run = []
            blocks.extend(_block(node, ranks))
        else:
            run.append(node)
    blocks.extend(_paragraph(run))
    return [b for b in blocks if b.strip()]


def _block(element, ranks):
    """Markdown blocks for one block element."""
    tag = element.tag
    if tag in HEADINGS:
        title = _one_line(_inline_nodes(element.children))
        # Headings found only inside inline markup are not ranked: make them the deepest.
        level = ranks.get(int(tag[1]), 6)
        return [f"{'#' * level} {title}"] if title else []
    if tag == "p" or tag in ("dt", "dd", "figcaption", "summary"):
        return _paragraph(element.children)
    if tag in ("ul", "ol"):
        return [_list(element, ranks)]
    if tag == "li":
        return [_list(Element("ul", children=[element]), ranks)]
    if tag == "pre":
        return [_code_block(element)]
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(element, ranks))
        return ["\n".join(f"> {line}".rstrip() for line in inner.split("\n"))]
    if tag == "figure":
        return _figure(element, ranks)
    if tag == "table":
        return [_table(element)]
    if tag == "tr":
        return [_row(element)]
    if tag == "hr":
        return ["* * *"]
    return _blocks(element, ranks)


def _paragraph(nodes):
    """A paragraph from inline nodes: lines trimmed, blank lines dropped."""
    lines = [line.strip() for line in _inline_nodes(nodes).split("\n")]
    text = "\n".join(_escape_line(line) for line in lines if line)
    return [text] if text else []


def _escape_line(line):
    """Keep a text line that starts with '#' from reading as a heading."""
    return "\\" + line if line.startswith("#") else line


def _one_line(text):
    return " ".join(text.split())


def _list(element, ranks):
    """A Markdown list; nested lists are indented under their item."""
    ordered = element.tag == "ol"
    number = _int(element.attrs.get("start"), 1)
    lines = []
    for node in element.children:
        if not isinstance(node, Element):
            if node.strip() and lines:  # stray text between items joins the last item
                lines[-1] += " " + node.strip()
            continue
        if node.tag != "li":
            # Some editors nest <ul> straight in <ul>: it belongs to the previous item.
            lines.extend("  " + line for line in "\n".join(_block(node, ranks)).split("\n"))
            continue
        marker = f"{number}. " if ordered else "- "
        number += 1
        body = "\n".join(_blocks(node, ranks)).split("\n")
        lines.append((marker + body[0]).rstrip())
        lines.extend((" " * len(marker) + line).rstrip() for line in body[1:])
    return "\n".join(line for line in lines if line.strip())


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _code_block(element):
    """A fenced code block, the language taken from Hatena's data-lang or lang- class."""
    code = element.text()
    code = code[1:] if code.startswith("\n") else code
    code = code.rstrip("\n")
    language = element.attrs.get("data-lang", "")
    if not language:
        language = next((c[5:] for c in element.classes() if c.startswith("lang-")), "")
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code}\n{fence}"


def _figure(element, ranks):
    """Images of a figure, each followed by the figure's caption line."""
    images = [e for e in _walk(element) if e.tag == "img" and e.attrs.get("src")]
    if not images:
        return _blocks(element, ranks)
    caption = next(
        (_one_line(_inline_nodes(e.children)) for e in _walk(element) if e.tag == "figcaption"),
        "",
    )
    lines = []
    for image in images:
        # The caption goes on the line under the image, where notes keep captions.
        lines.append(_image(image, alt="" if caption else None))
        if caption:
            lines.append(caption)
    return ["\n".join(lines)]


def _table(element):
    """A table as Markdown rows, the first row taken as the header."""
    rows = [_row(tr) for tr in _walk(element) if tr.tag == "tr"]
    if not rows:
        return ""
    columns = rows[0].count(" | ") + 1
    return "\n".join([rows[0], "|" + " --- |" * columns] + rows[1:])


def _row(tr):
    cells = [_one_line(_inline_nodes(c.children)) for c in tr.elements() if c.tag in ("td", "th")]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _inline_friendly(nodes):
    """Children with an embed card's duplicate citation link left out."""
    nodes = [n for n in nodes if not (isinstance(n, Element) and n.tag in DROPPED)]
    kept, card_urls = [], set()
    for node in nodes:
        if isinstance(node, Element) and "embed-card" in node.classes():
            card_urls.add(_embed_url(node))
        elif isinstance(node, Element) and "hatena-citation" in node.classes():
            links = [a.attrs.get("href") for a in _walk(node) if a.tag == "a"]
            if links and all(link in card_urls for link in links):
                continue
        kept.append(node)
    return kept


def _inline_nodes(nodes):
    """Inline Markdown for a run of nodes; <br> gives a newline."""
    parts = []
    for node in _inline_friendly(nodes):
        if isinstance(node, str):
            parts.append(_SPACES.sub(" ", node))
        elif _is_block(node):
            # A block inside inline markup (a <div> in a <span>): keep its text on its own line.
            parts.append("\n" + "\n".join(_blocks(node, {})) + "\n")
        else:
            parts.append(_inline(node))
    return "".join(parts)


def _inline(element):
    """Inline Markdown for one element."""
    tag, classes = element.tag, element.classes()
    inner = _inline_nodes(element.children)
    if tag == "br":
        return "\n"
    if tag == "img":
        return _image(element)
    if tag == "iframe":
        return _embed(element)
    if tag == "a":
        return _link(element, inner, classes)
    if tag in ("strong", "b"):
        return _wrap("**", inner)
    if tag in ("em", "i"):
        return _wrap("*", inner)
    if tag in ("code", "kbd", "samp", "tt"):
        return _code_span(element.text())
    if "footnote-delimiter" in classes:
        return ": "  # Hatena's footnote list writes "*1" and the text with no space between
    return inner


def _wrap(mark, text):
    """Emphasis around the text, its outer spaces kept outside the marks."""
    stripped = text.strip()
    if not stripped or "\n" in stripped:
        return text
    start, end = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{start}{mark}{stripped}{mark}{end}"


def _code_span(text):
    text = _SPACES.sub(" ", text)
    if not text.strip():
        return text
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def _link(element, inner, classes):
    """A link; keyword links, in-page anchors and links around images give their content."""
    href = element.attrs.get("href", "").strip()
    text = inner.strip()
    if "keyword" in classes or not href or href.startswith(("#", "javascript:")):
        return inner
    if any(e.tag == "img" for e in _walk(element)):
        return inner  # an image wrapped in a link to its photo page: keep the image
    href = _absolute(href)
    if not text or text == href:
        return href
    return f"[{_escape_brackets(text)}]({href})"


def _image(element, alt=None):
    """A Markdown image; its alt text from the element unless ``alt`` is given."""
    if alt is None:
        alt = element.attrs.get("alt", "").strip()
        if _FOTOLIFE_ALT.fullmatch(alt):
            alt = ""
        alt = alt or element.attrs.get("title", "").strip()
    alt = _escape_brackets(_one_line(alt))
    return f"![{alt}]({_absolute(element.attrs.get('src', '').strip())})"


def _escape_brackets(text):
    return text.replace("]", "\\]")


def _embed(element):
    """An embedded card or frame as a link to what it shows."""
    url = _embed_url(element)
    if not url:
        return ""
    title = _one_line(element.attrs.get("title", ""))
    return f"[{title}]({url})" if title and title != url else url


def _embed_url(element):
    src = _absolute(element.attrs.get("src", "").strip())
    if "embed-card" in element.classes():
        # Hatena's card frame carries the page it shows in its url= parameter.
        target = parse_qs(urlsplit(src).query).get("url")
        if target:
            return target[0]
    return src if src.startswith(("http://", "https://")) else ""


def _absolute(url):
    """Protocol-relative URLs (//host/...) as https."""
    return "https:" + url if url.startswith("//") else url
