"""Settings come from an option, else the environment, else ./data, else the package."""

from pathlib import Path

import pytest

from kb import config
from kb.errors import KbError

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_carries_the_taxonomy_and_synonyms(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an empty folder: no ./data
    taxonomy, digest = config.load_topics(environ={})
    assert taxonomy.get("mlops") is not None and digest
    assert taxonomy.get("mlops") == config.load_topics(ROOT / "data" / "topics.yaml")[0].get("mlops")
    synonyms = config.load_synonyms(taxonomy=taxonomy, environ={})
    assert "ディープラーニング" in synonyms.lookup("深層学習")


def test_a_data_folder_here_overrides_the_package(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "topics.yaml").write_text(
        "topics: [{id: mine, label: 私の}]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    taxonomy, _ = config.load_topics(environ={})
    assert [t.id for t in taxonomy.topics] == ["mine"]


def test_the_environment_overrides_the_data_folder_and_the_option_both(tmp_path, monkeypatch):
    (tmp_path / "env.yaml").write_text("topics: [{id: from-env}]\n", encoding="utf-8")
    (tmp_path / "opt.yaml").write_text("topics: [{id: from-option}]\n", encoding="utf-8")
    (tmp_path / "syn.yaml").write_text("groups: [[甲, 乙]]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    environ = {"KB_TOPICS": str(tmp_path / "env.yaml"), "KB_SYNONYMS": str(tmp_path / "syn.yaml")}
    assert [t.id for t in config.load_topics(environ=environ)[0].topics] == ["from-env"]
    assert [t.id for t in config.load_topics(tmp_path / "opt.yaml", environ)[0].topics] == \
        ["from-option"]
    assert config.load_synonyms(environ=environ).lookup("甲") == ("乙",)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(KbError, match="nope.yaml: cannot read topics.yaml"):
        config.load_topics(tmp_path / "nope.yaml", environ={})


def test_index_folder_site_name_and_base_url():
    assert config.index_dir(environ={}) == Path(".kb-index")
    assert config.index_dir(environ={"KB_INDEX_DIR": "/x"}) == Path("/x")
    assert config.index_dir("/y", environ={"KB_INDEX_DIR": "/x"}) == Path("/y")
    assert config.site_name({}) == "kb" and config.site_name({"KB_SITE_NAME": "ノート"}) == "ノート"
    assert config.base_url({}) is None
    assert config.base_url({"KB_BASE_URL": "https://kb.example.com/ "}) == "https://kb.example.com"
