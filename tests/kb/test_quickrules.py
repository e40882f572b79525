"""Rules tried by first character give the very tokens of markdown-it's own rules."""

import pickle
import random

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from kb.quickrules import QuickInlineRuler, QuickRuler, quicken
from kb.text import box_title, note_markdown

# Pieces that block rules look at first, in every place of a line.
PIECES = ["- ", "* ", "+ ", "1. ", "2) ", "10. ", "> ", ">", "# ", "## ", "###", "```", "~~~",
          ":::message", ":::details 答え", ":::", "::: note", "[^1]: ", "[^1]", "[a]: http://x",
          "[a]", "| a | b |", "|---|---|", "---", "***", "___", "===", "- - -", "    ", "  ",
          "\t", " ", "text", "日本語", "*em*", "**b**", "~~s~~", "`c`", "<b>", "&amp;", "\\",
          "![i](u)", "[l](u)", "<http://x>", "1", "-", ":", "|", "=", "", "x  ", ":-:", "-:|"]


def plain_note_markdown():
    """The note reader as note_markdown builds it, with markdown-it's own block rules."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.disable("html_block")
    md.enable(["table", "strikethrough"])
    container_plugin(md, "box", validate=lambda params, *_: box_title(params) is not None)
    footnote_plugin(md)
    md.disable(["footnote_tail", "footnote_inline"])
    return md


def random_markdown(rng):
    return "\n".join("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 4)))
                     for _ in range(rng.randint(1, 12)))


def test_the_note_reader_tries_rules_by_first_character():
    assert isinstance(note_markdown().block.ruler, QuickRuler)
    assert isinstance(note_markdown().inline.ruler, QuickInlineRuler)


def test_tokens_are_those_of_markdown_its_own_rules():
    plain, quick = plain_note_markdown(), note_markdown()
    rng = random.Random(15)
    for _ in range(3000):
        markdown = random_markdown(rng)
        assert pickle.dumps(quick.parse(markdown)) == pickle.dumps(plain.parse(markdown)), markdown


def test_real_notes_read_the_same():
    markdown = ("前置き\n\n## セッション\n- 項目 *強調*\n  続き\n- [リンク](https://x)\n"
                "    - 入れ子\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n> 引用\n> - 箇条\n\n"
                "```python\nx = 1\n```\n\n:::message alert\n注意\n:::\n\n脚注[^1]\n\n"
                "[^1]: 注釈\n\n見出し\n===\n\n***\n1. 一\n2. 二\n\n    code\n")
    assert pickle.dumps(note_markdown().parse(markdown)) == \
        pickle.dumps(plain_note_markdown().parse(markdown))


def test_rules_enabled_later_join_the_chains():
    md = MarkdownIt("commonmark")
    quicken(md)
    md.disable("hr")
    assert [t.type for t in md.parse("***\n")] == ["paragraph_open", "inline", "paragraph_close"]
    md.enable("hr")
    assert [t.type for t in md.parse("***\n")] == ["hr"]
