"""`kb serve` builds a missing index before serving; `flask --app web` finds the factory."""

from kb.cli import main as kb_main
from kb.engine.store import IndexStore


def test_serve_builds_the_index_first_when_there_is_none(tmp_path, monkeypatch, topics_file):
    served = {}

    def fake_serve(app, host, port, workers, threads):
        served.update(app=app, host=host, port=port, workers=workers, threads=threads)

    monkeypatch.setattr("kb.web.server.serve", fake_serve)
    index = tmp_path / "index"
    assert kb_main(["serve", "--index", str(index), "--topics", str(topics_file),
                    "--port", "5999"]) == 0
    assert IndexStore(index).exists()
    assert (served["host"], served["port"], served["workers"], served["threads"]) == (
        "127.0.0.1", 5999, 2, 4)
    client = served["app"].test_client()
    assert client.get("/api/events").get_json()["events"][0]["id"] == "decode-2020"


def test_flask_cli_finds_the_app_factory(monkeypatch, web_index):
    from flask.cli import ScriptInfo

    monkeypatch.setenv("KB_INDEX_DIR", str(web_index))
    app = ScriptInfo(app_import_path="kb.web").load_app()
    assert app.test_client().get("/").status_code == 200
