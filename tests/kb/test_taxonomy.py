"""The topic taxonomy file."""

import pytest

from kb.errors import NoteError
from kb.taxonomy import parse_taxonomy


def test_the_project_taxonomy(taxonomy):
    ids = {t.id for t in taxonomy.topics}
    assert {"mlops", "gpu", "ai-ethics", "retail-ai", "search", "azure",
            "data-annotation", "machine-learning"} <= ids
    assert taxonomy.find("AI倫理・法務").id == "ai-ethics"
    assert taxonomy.find("ｍｌｏｐｓ").id == "mlops"
    assert taxonomy.find("深層学習").id == "deep-learning"
    assert taxonomy.find("nothing") is None


@pytest.mark.parametrize("text, message", [
    ("topics: [", "invalid YAML"),
    ("- a", "'topics:' list"),
    ("topics:\n  - label: no id", "needs at least an 'id'"),
    ("topics:\n  - id: Not A Slug", "must be a slug"),
    ("topics:\n  - id: a\n  - id: a", "defined twice"),
])
def test_bad_taxonomies(text, message):
    with pytest.raises(NoteError, match=message):
        parse_taxonomy(text, "topics.yaml")
