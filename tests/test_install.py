"""kb as a user installs it: a wheel in a fresh venv, run from an empty folder."""

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "tests" / "notes"


def run(*args, cwd, env=None, check=True):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=900)
    if check and done.returncode:
        raise AssertionError(f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The kb command of a wheel built from this tree, installed in a new venv."""
    work = tmp_path_factory.mktemp("install")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps",
                "-w", work / "dist", ROOT, cwd=work)
    assert "Warning" not in built.stdout + built.stderr  # no wall of setuptools warnings
    wheel = next((work / "dist").glob("kb-*.whl"))
    run(sys.executable, "-m", "venv", work / "venv", cwd=work)
    pip = [work / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet"]
    done = run(*pip, wheel, cwd=work, check=False)
    if done.returncode:
        pytest.skip(f"cannot install the wheel's dependencies here: {done.stderr[-300:]}")
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # what building the wheel left
    return work / "venv" / "bin" / "kb", work


def test_the_wheel_puts_only_kb_at_the_top_of_site_packages(installed):
    kb, work = installed
    site = next((work / "venv" / "lib").glob("python*/site-packages"))
    ours = {p.name for p in site.iterdir() if p.name in ("kb", "web", "indexer", "data")}
    assert ours == {"kb"}
    assert (site / "kb" / "data" / "topics.yaml").is_file()
    assert (site / "kb" / "web" / "templates").is_dir()


def test_installed_kb_indexes_searches_and_serves_from_an_empty_folder(installed, tmp_path):
    kb, _ = installed
    empty = tmp_path / "empty"
    empty.mkdir()
    notes = shutil.copytree(NOTES, tmp_path / "my-notes")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KB_", "PYTHON"))}
    assert run(kb, "--version", cwd=empty, env=env).stdout.startswith("kb ")
    no_path = run(kb, "index", cwd=empty, env=env, check=False)
    assert no_path.returncode == 1 and "kb index FOLDER" in no_path.stderr
    indexed = run(kb, "index", notes, cwd=empty, env=env)
    assert "5 events, 18 sessions" in indexed.stdout
    found = run(kb, "search", "--topic", "mlops", "--json", cwd=empty, env=env)
    assert '"total": ' in found.stdout and '"total": 0' not in found.stdout
    assert run(kb, "search", "深層学習", cwd=empty, env=env).stdout.count("\n1. ") == 1
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([str(kb), "serve", "--port", str(port)], cwd=empty, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/", server, log)
        with urllib.request.urlopen(base + "/topics/mlops") as page:
            assert page.status == 200 and "MLOps" in page.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
