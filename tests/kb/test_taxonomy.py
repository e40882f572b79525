"""The topic taxonomy file: topics, their parents, their terms in context."""

import pytest

from kb.errors import NoteError
from kb.taxonomy import Term, parse_taxonomy

TREE = """\
topics:
  - id: devops
    label: DevOps
  - id: ci
    label: CI/CD
    parents: [devops]
  - id: jenkins
    label: Jenkins
    parents: ci
  - id: cloud
    label: クラウド
  - id: aws
    label: AWS
    parents: [cloud]
  - id: serverless
    label: サーバーレス
    parents: [cloud, devops]
"""


def test_the_project_taxonomy(taxonomy):
    ids = {t.id for t in taxonomy.topics}
    assert {"mlops", "gpu", "ai-ethics", "retail-ai", "search", "azure",
            "data-annotation", "machine-learning", "kotlin", "spring", "windows", "kubernetes"} <= ids
    assert taxonomy.find("AI倫理・法務").id == "ai-ethics"
    assert taxonomy.find("ｍｌｏｐｓ").id == "mlops"
    assert taxonomy.find("深層学習").id == "deep-learning"
    assert taxonomy.find("nothing") is None
    assert taxonomy.ancestors("jenkins") == ("ci", "devops")
    assert taxonomy.ancestors("mlops") == ("machine-learning", "devops")


def test_every_parent_of_the_project_taxonomy_is_broader(taxonomy):
    # no topic is its own ancestor, and every session in a child is in a known parent
    for topic in taxonomy.topics:
        ancestors = taxonomy.ancestors(topic.id)
        assert topic.id not in ancestors
        assert all(taxonomy.get(a) for a in ancestors)


def test_parents_and_ancestors():
    taxonomy = parse_taxonomy(TREE, "topics.yaml")
    assert taxonomy.get("jenkins").parents == ("ci",)  # one parent may be written without a list
    assert taxonomy.ancestors("jenkins") == ("ci", "devops")
    assert taxonomy.ancestors("serverless") == ("cloud", "devops")
    assert taxonomy.ancestors("devops") == ()
    assert taxonomy.children("cloud") == ("aws", "serverless")
    topics = taxonomy.with_ancestors((taxonomy.get("jenkins"), taxonomy.get("aws")))
    assert [t.id for t in topics] == ["jenkins", "aws", "ci", "devops", "cloud"]


def test_tags_join_topics_by_id_label_or_alias_in_any_case_or_width(taxonomy):
    assert taxonomy.topic_for_tag("ＫＯＴＬＩＮ").id == "kotlin"
    assert taxonomy.topic_for_tag("spring boot").id == "spring"
    assert taxonomy.topic_for_tag(" Windows ").id == "windows"
    assert taxonomy.topic_for_tag("ai").id == "machine-learning"
    mixed = taxonomy.topic_for_tag("mixed")
    assert (mixed.id, mixed.label, mixed.known) == ("mixed", "mixed", False)


def test_terms_with_their_context():
    taxonomy = parse_taxonomy("""\
topics:
  - id: data-annotation
    with: [機械学習]
    without: [mypy]
    terms:
      - ラベリング
      - アノテーション: {with: [教師データ], without: [型ヒント]}
    generic: [データセット]
""")
    topic = taxonomy.get("data-annotation")
    assert topic.terms == (
        Term("ラベリング"),
        Term("アノテーション", with_any=("教師データ",), without=("型ヒント",)),
        Term("データセット", generic=True),
    )
    assert (topic.with_any, topic.without) == (("機械学習",), ("mypy",))


@pytest.mark.parametrize("text, message", [
    ("topics: [", "invalid YAML"),
    ("- a", "'topics:' list"),
    ("topics:\n  - label: no id", ":2: topic #1 needs at least an 'id'"),
    ("topics:\n  - id: Not A Slug", ":2: topic id 'Not A Slug' must be a slug"),
    ("topics:\n  - id: a\n  - id: a", ":3: topic id 'a' is defined twice"),
    ("topics:\n  - id: a\n    parent: [b]", ":2: unknown key 'parent'"),
    ("topics:\n  - id: a\n    terms: 日本語", ":2: 'terms' must be a list"),
    ("topics:\n  - id: a\n    terms: [{x: {near: [y]}}]", "term 'x' takes only 'with:' and 'without:'"),
    ("topics:\n  - id: a\n    aliases: [[b]]", "'aliases' must be a list of words"),
])
def test_bad_taxonomies(text, message):
    with pytest.raises(NoteError, match=message):
        parse_taxonomy(text, "topics.yaml")


def test_an_unknown_parent_is_named_with_its_line():
    text = "topics:\n  - id: cloud\n  - id: aws\n    parents: [clowd]\n"
    with pytest.raises(NoteError) as error:
        parse_taxonomy(text, "topics.yaml")
    assert str(error.value) == "topics.yaml:3: topic 'aws' names an unknown parent 'clowd'"


def test_a_cycle_of_parents_is_named_with_its_line():
    text = ("topics:\n"
            "  - id: devops\n"
            "  - id: ci\n"
            "    parents: [jenkins]\n"
            "  - id: jenkins\n"
            "    parents: [ci]\n")
    with pytest.raises(NoteError) as error:
        parse_taxonomy(text, "topics.yaml")
    assert str(error.value) == "topics.yaml:3: topic parents form a cycle: ci → jenkins → ci"


def test_a_topic_cannot_be_its_own_parent():
    with pytest.raises(NoteError, match=r"topics.yaml:2: topic parents form a cycle: a → a"):
        parse_taxonomy("topics:\n  - id: a\n    parents: [a]\n", "topics.yaml")
