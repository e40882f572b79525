"""A small element tree built with the stdlib HTML parser, for converting blog HTML.

The tree follows what browsers do with the sloppy HTML blogs hold: implied
end tags close paragraphs and list items, and a formatting element (<b>, <i>,
<a>, ...) closed by another element's end tag is opened again for the text
that follows, so ``<b><i>x</b>y</i>`` reads as bold-italic x and italic y.
Elements nest at most MAX_DEPTH deep: deeper HTML is a problem, not a crash.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# Elements whose end tag HTML lets authors leave out; leaving them open is not an error.
OPTIONAL_END = frozenset("p li dt dd tr td th thead tbody tfoot option colgroup".split())
# A start tag of one of these closes an open <p>, as browsers do.
CLOSES_P = frozenset(
    "address article aside blockquote details div dl fieldset figcaption figure footer form"
    " h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section table ul".split()
)
# Starting one of these closes the open element of the same group, up to its container.
SIBLINGS = {
    "li": ({"li"}, {"ul", "ol"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "tr": ({"tr", "td", "th"}, {"table", "thead", "tbody", "tfoot"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
}
# Ignoring a stray </p> or </br> is what browsers do too.
HARMLESS_STRAY = frozenset({"p", "br"})
# What the HTML standard calls formatting elements: browsers reopen them.
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
# Blog posts nest a few dozen elements at most; the converter recurses per level.
MAX_DEPTH = 100
# Browsers keep at most three equal formatting elements waiting to reopen.
MAX_REOPEN = 3


@dataclass
class Element:
    """An HTML element: tag, attributes, children (Elements and strings), source line."""

    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    line: int = 0

    def classes(self) -> set[str]:
        """The element's class names."""
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        """All text inside the element, as is."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def elements(self) -> "list[Element]":
        """The child elements, without the text between them."""
        return [c for c in self.children if isinstance(c, Element)]


@dataclass(frozen=True)
class HtmlProblem:
    """Something wrong in the HTML, at a 1-based line of the parsed text."""

    line: int
    message: str


def parse_html(text) -> tuple[Element, list[HtmlProblem]]:
    """Parse an HTML fragment into (root Element, [HtmlProblem]); it never raises."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root, builder.finish()


class _TreeBuilder(HTMLParser):
    """Builds Elements, closing implied ends and noting stray or unclosed tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.stack = [self.root]
        self.problems = []
        self.to_reopen = []  # formatting elements closed by another's end tag
        self.reopened = set()  # ids of elements opened again: their end tag is optional
        self.unnested = 0  # elements left unnested past MAX_DEPTH, whose end tags close nothing

    def handle_starttag(self, tag, attrs) -> None:
        if tag in CLOSES_P:
            self._close_open("p", stop_at={"div", "li", "td", "th", "blockquote", "figure"})
        if tag in SIBLINGS:
            same, container = SIBLINGS[tag]
            self._close_open(same, stop_at=container)
        if tag not in CLOSES_P and tag not in SIBLINGS:
            self._reopen()
        self._open(Element(tag, {k: v or "" for k, v in attrs}, [], self.getpos()[0]))

    def _open(self, element):
        self.stack[-1].children.append(element)
        if element.tag in VOID:
            return
        if len(self.stack) > MAX_DEPTH:
            # left unnested, so that nothing downstream recurses past the limit
            if not self.unnested:
                self.problems.append(HtmlProblem(
                    element.line, f"elements nest more than {MAX_DEPTH} deep"))
            self.unnested += 1
            return
        self.stack.append(element)

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag) -> None:
        if tag in VOID:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                self._pop(depth)
                return
        for waiting in reversed(self.to_reopen):
            if waiting.tag == tag:  # its own end tag, after another's closed it
                self.to_reopen.remove(waiting)
                return
        if self.unnested:
            self.unnested -= 1
        elif tag not in HARMLESS_STRAY:
            self.problems.append(HtmlProblem(self.getpos()[0], f"</{tag}> closes nothing"))

    def _pop(self, depth):
        """Close the elements from ``depth`` up; formatting ones above it wait to reopen."""
        for element in self.stack[depth + 1:]:
            if element.tag in FORMATTING:
                same = [w for w in self.to_reopen if (w.tag, w.attrs) == (element.tag, element.attrs)]
                if len(same) >= MAX_REOPEN:
                    self.to_reopen.remove(same[0])
                self.to_reopen.append(element)
        del self.stack[depth:]

    def _reopen(self):
        """Open again, inside the current element, the formatting elements waiting."""
        waiting, self.to_reopen = self.to_reopen, []
        for element in waiting:
            again = Element(element.tag, dict(element.attrs), [], self.getpos()[0])
            self.reopened.add(id(again))
            self._open(again)

    def handle_data(self, data) -> None:
        if data.strip():
            self._reopen()
        self.stack[-1].children.append(data)

    def _close_open(self, tags, stop_at):
        """Close the innermost open element in ``tags`` unless a ``stop_at`` comes first."""
        tags = {tags} if isinstance(tags, str) else tags
        for depth in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[depth].tag
            if tag in tags:
                self._pop(depth)
                return
            if tag in stop_at:
                return

    def finish(self) -> list[HtmlProblem]:
        """The problems found, unclosed elements included."""
        for element in self.stack[1:]:
            if element.tag not in OPTIONAL_END and id(element) not in self.reopened:
                self.problems.append(
                    HtmlProblem(element.line, f"<{element.tag}> is never closed")
                )
        return self.problems
