"""Fixtures for the web tests: one index of data/notes and a few notes written here."""

from pathlib import Path

import pytest

from kb.indexer.build import build_index
from kb.config import load_topics
from kb.web import create_app

ROOT = Path(__file__).resolve().parents[2]

# Small invented events, so that facets have several events, topics and years.
NOTES = {
    "gpu-night-2019.md": """---
event: GPU Night 2019
id: gpu-night-2019
date: 2019-11-20
url: https://example.com/gpu-night-2019
tags: [GPU]
---
架空の勉強会のノート。GPUと機械学習の話を聞いた。

## GPUで速くするPythonの数値計算
speakers: 田中一郎
url: https://example.com/gpu-night-2019/numeric

- CUDAとNVIDIAのGPUで行列計算を速くした
- Pythonから使える
- 機械学習の前処理にも使える

## 推論サーバーの作り方
speakers: 鈴木花子

- 機械学習モデルの推論をGPUで動かす
- 推論の待ち時間を測った

## 全文検索エンジンの基礎

- 検索エンジンは転置インデックスで語を引く
- Elasticsearchの運用の話
""",
    "ml-camp-2022.md": """---
event: ML Camp 2022
id: ml-camp-2022
date: 2022-08-05
tags: [機械学習]
---
架空の合宿のノート。

## 機械学習のためのデータ基盤

- 機械学習の学習データを集める基盤
- GPUクラスタでの学習とMLOps

## Pythonで作る検索システム

- Pythonと全文検索エンジンで社内文書を検索する
- Whooshで小さく始めた
""",
    # Hostile on purpose: nothing of this may run or become a link in a page.
    "evil-con-2021.md": """---
event: "<script>window.__pwned = 'event'</script>Evil Con"
id: evil-con-2021
date: 2021-04-01
url: "javascript:window.__pwned='event-url'"
---
<script>window.__pwned = 'intro'</script>

## <img src=x onerror="window.__pwned='title'"> 危険なタイトル
url: javascript:window.__pwned='session-url'

<script>window.__pwned = 'body'</script>

- [クリック](javascript:window.__pwned='link') と <a href="javascript:alert(4)">生のリンク</a>
- <img src=x onerror="window.__pwned='img'"> 画像
- ![画像](javascript:window.__pwned='image')
- 安全なリンク: [例](https://example.com/safe)
- [実体参照](&#106;avascript:window.__pwned='entity') [大文字](JaVaScRiPt:window.__pwned='upper') [データ](data:text/html;base64,PHNjcmlwdD4=)

<iframe src="javascript:window.__pwned='iframe'"></iframe>
<style>body { display: none }</style>
<div style="position:fixed;inset:0;background:red">覆い</div>
<svg onload="window.__pwned='svg'"></svg>
""",
}

EVIL_SESSION = "evil-con-2021/危険なタイトル"


@pytest.fixture(scope="session")
def evil_session():
    """The id of the hostile session."""
    return EVIL_SESSION


@pytest.fixture(scope="session")
def topics_file():
    return ROOT / "data" / "topics.yaml"


@pytest.fixture(scope="session")
def web_topics(topics_file):
    return load_topics(topics_file)


@pytest.fixture(scope="session")
def web_notes(tmp_path_factory):
    """The folder of the notes written by these tests."""
    folder = tmp_path_factory.mktemp("web-notes")
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def web_index(tmp_path_factory, web_notes, web_topics):
    """One index of data/notes and the notes above, built once per test session."""
    path = tmp_path_factory.mktemp("web-index")
    report = build_index(path, [ROOT / "data" / "notes", web_notes], *web_topics, progress=False)
    assert report.ok, report.errors
    return path


@pytest.fixture(scope="session")
def app(web_index, web_topics):
    app = create_app({"TESTING": True, "KB_INDEX_DIR": str(web_index),
                      "KB_TAXONOMY": web_topics[0]})
    yield app
    app.extensions["kb"].close()


@pytest.fixture
def client(app):
    return app.test_client()
