"""Pages and JSON answers carry an ETag of the index generation: asked again, 304 until it changes."""

from tests.web.editing import CONF, notes, site  # noqa: F401 (fixtures)

PATHS = ("/search?q=GPU", "/api/search?q=GPU", "/events/conf", "/api/events/conf",
         "/topics/", "/feed.atom")


def test_an_answer_asked_again_with_its_etag_is_not_sent_again(site):
    client = site()
    for path in PATHS:
        first = client.get(path)
        assert first.status_code == 200 and first.headers["ETag"], path
        assert first.headers["Cache-Control"] == "no-cache"
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b"", path
        assert again.headers["ETag"] == first.headers["ETag"]
        assert again.headers["X-Content-Type-Options"] == "nosniff"  # security headers still


def test_each_address_has_its_own_etag_and_a_wrong_one_gets_the_answer(site):
    client = site()
    tags = {path: client.get(path).headers["ETag"] for path in PATHS}
    assert len(set(tags.values())) == len(PATHS)
    other = client.get("/search?q=GPU", headers={"If-None-Match": tags["/api/search?q=GPU"]})
    assert other.status_code == 200 and "GPU" in other.get_data(as_text=True)
    # pages write absolute URLs with the host they were asked on
    elsewhere = client.get("/search?q=GPU", base_url="http://other.example",
                           headers={"If-None-Match": tags["/search?q=GPU"]})
    assert elsewhere.status_code == 200


def test_a_new_index_generation_makes_every_etag_new(notes, site):
    client = site()
    service = client.application.extensions["kb"]
    service.check_interval = 0
    tag = client.get("/search?q=GPU").headers["ETag"]
    notes.write("x.md", CONF.replace("GPUで推論", "GPUとTPUで推論"))
    assert notes.kb_index() == (0, "")
    answer = client.get("/search?q=GPU", headers={"If-None-Match": tag})
    assert answer.status_code == 200 and "TPU" in answer.get_data(as_text=True)
    assert answer.headers["ETag"] != tag


def test_errors_and_redirects_carry_no_etag(site):
    client = site()
    assert client.get("/events/nothing-here").status_code == 404
    assert "ETag" not in client.get("/events/nothing-here").headers
    assert "ETag" not in client.get("/api/search?page=0").headers


def test_pages_are_rendered_alike_when_none_are_kept(site):
    kept, unkept = site(), site(KB_PAGES_KEPT=0)
    for path in ("/search?q=GPU", "/search?q=GPU&topic=gpu"):
        assert kept.get(path).data == unkept.get(path).data
        assert unkept.get(path).data == kept.get(path).data


def test_an_answer_made_while_the_index_changed_carries_no_etag(notes, site):
    client = site()
    app = client.application
    app.extensions["kb"].check_interval = 0
    rebuilt = []

    @app.after_request  # runs before the app's own tagging, registered earlier
    def rebuild_once(response):
        if not rebuilt:
            notes.write("x.md", CONF.replace("GPUで推論", "GPUとTPUで推論"))
            rebuilt.append(notes.kb_index())
        return response

    answer = client.get("/search?q=GPU")
    assert rebuilt == [(0, "")]
    assert answer.status_code == 200 and "ETag" not in answer.headers
    assert "TPU" not in answer.get_data(as_text=True)  # made from the generation before
    again = client.get("/search?q=GPU")
    assert again.headers["ETag"] and "TPU" in again.get_data(as_text=True)
