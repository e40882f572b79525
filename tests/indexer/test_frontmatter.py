"""Front matter reads to the same values and errors whichever YAML parser reads it."""

import pickle

import pytest
import yaml

from kb.errors import NoteError
from kb.indexer.frontmatter import NoteLoader, split_front_matter

BLOCKS = [
    'event: "勉強会 2024「キャッシュと、"\nid: event-1\ndate: 2013-11-24\ntags: [コンテナ, Go]',
    "title: 型ヒント\ndate: 2024-01-02T10:00:00\nend_date: 2024-01-03\ndraft: no\n"
    "speakers:\n  - 山田花子\n  - 佐藤一郎\nurl: https://example.com/a?b=c#d",
    "event: x\nnested: {a: [1, 2.5, 0x1f, 1e3, ~, null, yes, On], 'b c': \"d\"}\n# comment",
    "event: x\nlines: [\n  a,\n  b\n]\nempty:\n",
]
# libyaml reads these; PyYAML's own parser refuses them, and so must the note
REFUSED = ["event: x\ntags: [a?b\n c]", "event:\ttab", "event: |#x\n  y"]


def _note(block):
    return f"---\n{block}\n---\n## s\n"


@pytest.mark.parametrize("block", BLOCKS)
def test_values_are_those_of_the_pure_python_loader(block):
    data, _, _ = split_front_matter(_note(block), "x.md")
    assert pickle.dumps(data) == pickle.dumps(yaml.load(block, Loader=NoteLoader))  # noqa: S506


@pytest.mark.parametrize("block", REFUSED)
def test_what_the_pure_python_loader_refuses_stays_refused(block):
    with pytest.raises(yaml.YAMLError):
        yaml.load(block, Loader=NoteLoader)  # noqa: S506
    with pytest.raises(NoteError, match="invalid YAML in front matter"):
        split_front_matter(_note(block), "x.md")


def test_limits_hold_on_both_paths():
    bomb = "event: x\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]\n"
        for prev, name in zip("abcd", "bcde"))
    with pytest.raises(NoteError, match="aliases stand for more than"):
        split_front_matter(_note(bomb), "x.md")
    with pytest.raises(NoteError, match="nest more than 50 deep"):
        split_front_matter(_note("event: x\na: " + "[" * 60 + "]" * 60), "x.md")
