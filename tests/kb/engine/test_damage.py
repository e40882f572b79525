"""A damaged, full or read-only index says so in one line, and nothing indexed is lost."""

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kb.engine import IndexStore
from kb.errors import IndexDamagedError
from kb.indexer.build import build_index
from kb.requests import SearchRequest
from kb.search import SearchService
from kb.web import create_app

ROOT = Path(__file__).resolve().parents[3]
NOTES = ROOT / "tests" / "notes"


def damage(index, how):
    pointer = IndexStore(index).pointer()
    files = sorted(p for p in index.iterdir() if p.name.startswith(pointer["name"]))
    if how == "truncated postings":
        target = next(p for p in files if p.suffix == ".pst")
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    elif how == "corrupted terms":
        target = next(p for p in files if p.suffix == ".trm")
        data = bytearray(target.read_bytes())
        data[len(data) // 3: len(data) // 3 + 64] = b"\xff" * 64
        target.write_bytes(bytes(data))
    elif how == "deleted segment file":
        next(p for p in files if p.suffix == ".trm").unlink()
    elif how == "pointer to a missing index":
        (index / "kb-index.json").write_text(json.dumps({**pointer, "name": "kb6_gone"}))


HOW = ["truncated postings", "corrupted terms", "deleted segment file", "pointer to a missing index"]


@pytest.fixture
def damaged(tmp_path, topics, request):
    index = tmp_path / "ix"
    build_index(index, [NOTES], *topics, progress=False)
    damage(index, request.param)
    return index


def kb(*args):
    return subprocess.run([sys.executable, "-m", "kb", *args], capture_output=True, text=True)


@pytest.mark.parametrize("damaged", HOW, indirect=True)
def test_a_damaged_index_says_so_and_a_rebuild_mends_it(damaged):
    searched = kb("search", "--index", str(damaged), "GPU")
    indexed = kb("index", str(NOTES), "--index", str(damaged))
    for done in (searched, indexed):
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1
        assert f"the index in {damaged} is damaged" in done.stderr
        assert "run 'kb index --rebuild'" in done.stderr
    rebuilt = kb("index", str(NOTES), "--index", str(damaged), "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "2 session(s)" in kb("search", "--index", str(damaged), "GPU").stdout


@pytest.mark.parametrize("damaged", HOW, indirect=True)
def test_the_site_answers_503_with_a_page_on_a_damaged_index(damaged, taxonomy):
    app = create_app({"KB_INDEX_DIR": str(damaged), "KB_TAXONOMY": taxonomy, "TESTING": True})
    client = app.test_client()
    for path in ("/search?q=GPU", "/", "/events/", "/topics/"):
        page = client.get(path)
        assert page.status_code == 503, path
        assert "kb index --rebuild" in page.get_data(as_text=True)
        assert page.headers["Content-Security-Policy"] and page.headers["X-Content-Type-Options"]
    api = client.get("/api/search?q=GPU")
    assert api.status_code == 503 and "damaged" in api.get_json()["error"]


@pytest.mark.parametrize("damaged", HOW[:1], indirect=True)
def test_the_service_raises_one_error(damaged, taxonomy):
    service = SearchService(damaged, taxonomy)
    service.warm()  # a server still starts
    with pytest.raises(IndexDamagedError):
        service.search(SearchRequest(q="GPU"))


def can_mount():
    if not shutil.which("unshare"):
        return False
    done = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                          capture_output=True)
    return done.returncode == 0


SCRIPT = textwrap.dedent("""
    set -u
    mount -t tmpfs -o size=1200k tmpfs "$IX"
    step() { "$PY" -m kb "$@" > "$OUT/$N.out" 2> "$OUT/$N.err"; echo $? > "$OUT/$N.rc"; N=$((N+1)); }
    N=0
    step index "$NOTES" --index "$IX"
    ls -A "$IX" > "$OUT/before-full.ls"
    cp "$BIG"/*.md "$NOTES"/
    step index "$NOTES" --index "$IX"
    ls -A "$IX" > "$OUT/after-full.ls"
    step search --index "$IX" GPU
    rm "$NOTES"/big*.md
    step index "$NOTES" --index "$IX"
    step index "$NOTES" --index "$IX" --rebuild
    ls -A "$IX" > "$OUT/after-rebuild.ls"
    mount -o remount,ro "$IX"
    echo "## もう一つ" >> "$NOTES/devops-day-2019.md"
    step index "$NOTES" --index "$IX"
    step search --index "$IX" GPU
""")


@pytest.mark.skipif(not can_mount(), reason="needs unshare and tmpfs mounts to fill a disk")
def test_a_full_disk_and_a_read_only_folder(tmp_path):
    notes, big, out, ix = (tmp_path / name for name in ("notes", "big", "out", "ix"))
    for folder in (big, out, ix):
        folder.mkdir()
    shutil.copytree(NOTES, notes)
    words = ["機械学習", "推論", "GPU", "データ", "モデル", "検索", "運用", "設計"]
    for i in range(40):
        body = "\n".join("".join(words[(i + j + k) % 8] for k in range(40)) for j in range(200))
        (big / f"big{i:02d}.md").write_text(f"---\nevent: 大きな回{i}\n---\n## 話{i}\n{body}\n",
                                            encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PY": sys.executable, "NOTES": str(notes), "BIG": str(big),
           "OUT": str(out), "IX": str(ix)}
    subprocess.run(["unshare", "-rm", "sh", "-c", SCRIPT], env=env, check=True, timeout=600)
    rc = [int((out / f"{n}.rc").read_text()) for n in range(7)]
    err = [(out / f"{n}.err").read_text() for n in range(7)]
    assert rc[0] == 0
    # full: one line, the previous index unchanged, nothing left behind
    assert rc[1] == 1 and err[1].count("\n") == 1 and "no space left" in err[1]
    assert "the previous index is unchanged" in err[1]
    assert (out / "after-full.ls").read_text() == (out / "before-full.ls").read_text()
    assert rc[2] == 0 and "2 session(s)" in (out / "2.out").read_text()
    # space freed: both an update and a rebuild work without cleaning up by hand
    assert rc[3] == 0 and rc[4] == 0, err[3] + err[4]
    # read-only: one line, and searching still works
    assert rc[5] == 1 and err[5].count("\n") == 1 and "read-only" in err[5]
    assert rc[6] == 0 and "2 session(s)" in (out / "6.out").read_text()
