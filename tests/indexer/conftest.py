"""Fixtures of the indexer tests."""

import pytest

from notefolder import Notes


@pytest.fixture
def notes(tmp_path, capsys, taxonomy):
    return Notes(tmp_path, capsys, taxonomy)
