"""markdown-it's rules, tried only where the first character lets them match.

markdown-it tries every block rule in turn on every line, and again on every
line of a paragraph to see whether the line ends it: most of those calls fail
on the line's first character, after a logging call and a code-block check
each. :class:`QuickRuler` keeps the same rules in the same order, with the
same lists of which rules end which blocks, but each list is tried through
one function that looks at the line's first non-space character and calls
only the rules that can start with it. A rule that would match is never
skipped, so the tokens are the same. :class:`QuickInlineRuler` does the same
for inline rules, tried at every character that ends a run of plain text.
"""

import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

BlockRule = Callable[[StateBlock, int, int, bool], bool]
InlineRule = Callable[[StateInline, bool], bool]

# The characters a line must start with (after its indent) for each rule to match it.
BLOCK_STARTS = {
    "fence": frozenset("`~"),
    "blockquote": frozenset(">"),
    "hr": frozenset("*-_"),
    "list": frozenset("*-+0123456789"),
    "reference": frozenset("["),
    "footnote_def": frozenset("["),
    "heading": frozenset("#"),
}
# The characters each inline rule can match at (plain text, tried first, matches anywhere).
INLINE_STARTS = {
    "linkify": frozenset(":"),
    "newline": frozenset("\n"),
    "escape": frozenset("\\"),
    "backticks": frozenset("`"),
    "strikethrough": frozenset("~"),
    "emphasis": frozenset("*_"),
    "link": frozenset("["),
    "image": frozenset("!"),
    "footnote_ref": frozenset("["),
    "autolink": frozenset("<"),
    "html_inline": frozenset("<"),
    "entity": frozenset("&"),
}
# A table is known by the line under its first one: it starts with '|', '-' or ':'.
_TABLE_RULER = frozenset("|-:")
# A thematic break: three or more of one of '*-_', spaces and tabs between (markdown-it's
# hr rule, which list items, starting with '-' or '*', meet on each of their lines).
_RULE_LINE = re.compile(r"([*\-_])(?:[ \t]*\1){2,}[ \t]*")
# A setext heading's underline: a run of one of '-=', then spaces and tabs (lheading's test).
_UNDERLINE = re.compile(r"(?:-+|=+)[ \t]*")


def _table(rule: BlockRule) -> BlockRule:
    """The table rule, called only when the next line could be a table's delimiter row."""

    def quick(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        if line + 2 > end:
            return False
        below = line + 1
        pos = state.bMarks[below] + state.tShift[below]
        if pos < state.eMarks[below] and state.src[pos] not in _TABLE_RULER:
            return False
        return rule(state, line, end, silent)

    return quick


def _ruled(rule: BlockRule) -> BlockRule:
    """The hr rule, called only for a line that is a thematic break."""

    def quick(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        if not _RULE_LINE.fullmatch(state.src, pos, state.eMarks[line]):
            return False
        return rule(state, line, end, silent)

    return quick


def _setext(rule: BlockRule) -> BlockRule:
    """The lheading rule, called only when a line of the paragraph ahead may underline it.

    lheading reads every line up to the next blank one, trying each rule that ends a
    paragraph on it, and the paragraph rule then does the same: a line of '-' or '='
    is what it looks for (a list item below is no such line). Where it finds none it
    leaves the parent type
    "paragraph" (it does not restore it), and so does this.
    """

    def quick(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        src, starts, shifts, ends = state.src, state.bMarks, state.tShift, state.eMarks
        below = line + 1
        while below < end:
            pos = starts[below] + shifts[below]
            if pos >= ends[below]:  # a blank line ends the paragraph
                break
            if src[pos] in "-=" and _UNDERLINE.fullmatch(src, pos, ends[below]):
                return rule(state, line, end, silent)
            below += 1
        if not state.is_code_block(line):
            state.parentType = "paragraph"
        return False

    return quick


def _indented(rule: BlockRule) -> BlockRule:
    """The indented code rule, called only for a line indented four columns past the block."""

    def quick(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        if state.sCount[line] - state.blkIndent < 4:
            return False
        return rule(state, line, end, silent)

    return quick


Guarded = list[tuple[Any, frozenset[str] | None]]  # (rule, characters it can start at)


def _by_first_char(rules: Guarded) -> tuple[tuple, dict[str, tuple], tuple]:
    """The rules to try, in order: at a character no rule names, at each one named, anywhere."""
    anywhere = tuple(fn for fn, starts in rules if starts is None)
    by_char = {char: tuple(fn for fn, starts in rules if starts is None or char in starts)
               for _, starts in rules if starts for char in starts}
    return anywhere, by_char, tuple(fn for fn, _ in rules)


class _QuickRuler(Ruler[Any]):
    """A Ruler whose every chain of rules is one function, made by ``_chain``."""

    def __init__(self, rules: Ruler[Any], starts: dict[str, frozenset[str]]) -> None:
        super().__init__()
        self.__rules__ = rules.__rules__
        self._starts = starts

    def _guarded(self, name: str, fn: Any) -> tuple[Any, frozenset[str] | None]:
        return fn, self._starts.get(name)

    def _chain(self, rules: Guarded) -> Any:
        raise NotImplementedError

    def __compile__(self) -> None:
        super().__compile__()
        guarded = {rule.fn: self._guarded(rule.name, rule.fn) for rule in self.__rules__}
        self.__cache__ = {name: [self._chain([guarded[fn] for fn in chain])]
                          for name, chain in (self.__cache__ or {}).items()}


class QuickRuler(_QuickRuler):
    """Block rules, each list tried by the first non-space character of a line."""

    def _guarded(self, name: str, fn: Any) -> tuple[Any, frozenset[str] | None]:
        if name == "table":
            return _table(fn), None
        if name == "code":
            return _indented(fn), None
        if name == "lheading":
            return _setext(fn), None
        if name == "hr":
            return _ruled(fn), self._starts.get(name)
        return super()._guarded(name, fn)

    def _chain(self, rules: Guarded) -> BlockRule:
        anywhere, by_char, every = _by_first_char(rules)

        def tried(state: StateBlock, line: int, end: int, silent: bool) -> bool:
            pos = state.bMarks[line] + state.tShift[line]
            candidates = (by_char.get(state.src[pos], anywhere) if pos < state.eMarks[line]
                          else every)
            for rule in candidates:
                if rule(state, line, end, silent):
                    return True
            return False

        return tried


class QuickInlineRuler(_QuickRuler):
    """Inline rules, tried by the character at the parser's position."""

    def _chain(self, rules: Guarded) -> InlineRule:
        anywhere, by_char, every = _by_first_char(rules)

        def tried(state: StateInline, silent: bool) -> bool:
            pos = state.pos
            candidates = by_char.get(state.src[pos], anywhere) if pos < len(state.src) else every
            for rule in candidates:
                if rule(state, silent):
                    return True
            return False

        return tried


def quicken(md: MarkdownIt, container: str | None = None, marker: str = ":") -> None:
    """Make md try its block and inline rules through quick rulers (a ``container``'s too).

    Rules of other plugins than the container and footnotes are tried everywhere.
    """
    starts = dict(BLOCK_STARTS)
    if container is not None:
        starts[f"container_{container}"] = frozenset(marker)
    md.block.ruler = QuickRuler(md.block.ruler, starts)
    md.inline.ruler = QuickInlineRuler(md.inline.ruler, INLINE_STARTS)
