"""A first run: a new folder, an empty index, a taken port, a misspelled path."""

import socket
import subprocess
import sys

from tests.conftest import TOPICS, free_port

from kb.web import create_app


def kb(*args, cwd):
    return subprocess.run([sys.executable, "-m", "kb", *args], capture_output=True, text=True,
                          cwd=cwd)


def test_search_in_a_new_folder_says_how_to_add_notes(tmp_path):
    done = kb("search", "GPU", cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "0 session(s)" in done.stdout and "kb index FOLDER" in done.stdout


def test_the_site_of_an_empty_index_says_how_to_add_notes(tmp_path, taxonomy):
    app = create_app({"KB_INDEX_DIR": str(tmp_path / "nothing-yet"), "KB_TAXONOMY": taxonomy,
                      "TESTING": True})
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "まだノートがありません" in text and "kb index" in text
    assert client.get("/search?q=GPU").status_code == 200
    assert client.get("/events/").status_code == 200 and client.get("/topics/").status_code == 200
    data = client.get("/api/search?q=GPU").get_json()
    assert data["total"] == 0 and any("kb index" in m for m in data["messages"])


def test_notes_that_all_failed_give_the_same_empty_state(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "broken.md").write_text("---\nevent: [unclosed\n---\n## x\n", encoding="utf-8")
    done = kb("index", str(notes), "--index", str(tmp_path / "ix"), "--topics", str(TOPICS),
              cwd=tmp_path)
    assert done.returncode == 1
    searched = kb("search", "--index", str(tmp_path / "ix"), "x", cwd=tmp_path)
    assert searched.returncode == 0 and "kb index FOLDER" in searched.stdout


def test_a_taken_port_is_one_line_and_nothing_is_served(tmp_path):
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        done = kb("serve", "--port", str(port), "--index", str(tmp_path / "ix"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and f"127.0.0.1:{port}" in done.stderr
    assert "serving" not in done.stderr and not (tmp_path / "ix").exists()


def test_a_misspelled_path_says_no_such_folder(tmp_path):
    done = kb("index", "notez", "--index", str(tmp_path / "ix"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "kb: error: notez: no such file or folder\n"
    done = kb("index", "--index", str(tmp_path / "ix"), cwd=tmp_path)
    assert done.returncode == 1 and "kb index FOLDER" in done.stderr
