"""markdown-it's block rules, tried only where a line's first character lets them match.

markdown-it tries every block rule in turn on every line, and again on every
line of a paragraph to see whether the line ends it: most of those calls fail
on the line's first character, after a logging call and a code-block check
each. :class:`QuickRuler` keeps the same rules in the same order, with the
same lists of which rules end which blocks, but each list is tried through
one function that looks at the line's first non-space character and calls
only the rules that can start with it. A rule that would match is never
skipped, so the tokens are the same.
"""

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock

BlockRule = Callable[[StateBlock, int, int, bool], bool]

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
# A table is known by the line under its first one: it starts with '|', '-' or ':'.
_TABLE_RULER = frozenset("|-:")


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


def _indented(rule: BlockRule) -> BlockRule:
    """The indented code rule, called only for a line indented four columns past the block."""

    def quick(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        if state.sCount[line] - state.blkIndent < 4:
            return False
        return rule(state, line, end, silent)

    return quick


def _chain(rules: list[tuple[BlockRule, frozenset[str] | None]]) -> BlockRule:
    """One rule that tries ``rules`` in order, each only on lines it can start with."""
    anywhere = tuple(fn for fn, starts in rules if starts is None)
    by_char = {char: tuple(fn for fn, starts in rules if starts is None or char in starts)
               for _, starts in rules if starts for char in starts}
    every = tuple(fn for fn, _ in rules)

    def tried(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        candidates = by_char.get(state.src[pos], anywhere) if pos < state.eMarks[line] else every
        for rule in candidates:
            if rule(state, line, end, silent):
                return True
        return False

    return tried


class QuickRuler(Ruler[BlockRule]):
    """A block Ruler whose every chain of rules is one function, as :func:`_chain` makes it."""

    def __init__(self, rules: Ruler[BlockRule], starts: dict[str, frozenset[str]]) -> None:
        super().__init__()
        self.__rules__ = rules.__rules__
        self._starts = starts

    def __compile__(self) -> None:
        super().__compile__()
        guarded: dict[BlockRule, tuple[BlockRule, frozenset[str] | None]] = {}
        for rule in self.__rules__:
            if rule.name == "table":
                guarded[rule.fn] = (_table(rule.fn), None)
            elif rule.name == "code":
                guarded[rule.fn] = (_indented(rule.fn), None)
            else:
                guarded[rule.fn] = (rule.fn, self._starts.get(rule.name))
        self.__cache__ = {name: [_chain([guarded[fn] for fn in chain])]
                          for name, chain in (self.__cache__ or {}).items()}


def quicken_blocks(md: MarkdownIt, container: str | None = None, marker: str = ":") -> None:
    """Make md try its block rules through a QuickRuler (a ``container`` plugin's too)."""
    starts = dict(BLOCK_STARTS)
    if container is not None:
        starts[f"container_{container}"] = frozenset(marker)
    md.block.ruler = QuickRuler(md.block.ruler, starts)
