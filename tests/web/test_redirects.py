"""Old permalinks answer 301 to where their session is now, on pages and in the API.

Notes on disk are edited between runs of `kb index`; the site is Flask's test client.
"""

from urllib.parse import quote

from tests.web.editing import CONF, notes, site  # noqa: F401 (fixtures)


def edit(notes, *versions):
    """Write each version of the note x.md in turn, and index it."""
    for text in versions:
        notes.write("x.md", text)
        assert notes.kb_index() == (0, "")


def page(session_id):
    return "/events/" + quote(session_id)


def api(session_id):
    return "/api/sessions/" + quote(session_id)


def test_a_retitled_session_redirects_from_its_old_address(notes, site):
    edit(notes, CONF.replace("## GPU の話", "## GPUの話"))
    client = site()
    for address in (page, api):
        response = client.get(address("conf/gpu-の話"))
        assert response.status_code == 301
        assert response.headers["Location"] == address("conf/gpuの話")
        assert client.get(response.headers["Location"]).status_code == 200


def test_a_session_renamed_twice_redirects_in_one_step(notes, site):
    edit(notes, CONF.replace("## GPU の話", "## GPUの話"),
         CONF.replace("## GPU の話", "## GPU 推論の話"))
    client = site()
    for old in ("conf/gpu-の話", "conf/gpuの話"):
        for address in (page, api):
            response = client.get(address(old))
            assert response.status_code == 301
            assert response.headers["Location"] == address("conf/gpu-推論の話")


def test_a_redirect_keeps_the_query_string_and_the_base_url(notes, site):
    edit(notes, CONF.replace("## 懇親会", "## 懇親会で聞いた話"))
    client = site(KB_BASE_URL="https://kb.example.com/notes")
    response = client.get(page("conf/懇親会") + "?utm_source=blog",
                          headers={"Host": "internal:8000"})
    assert response.status_code == 301
    assert response.headers["Location"] == (
        "https://kb.example.com/notes" + page("conf/懇親会で聞いた話") + "?utm_source=blog")


def test_a_removed_session_is_not_found(notes, site):
    edit(notes, CONF.replace("## 懇親会", "## 懇親会の話"),
         CONF.replace("## 懇親会\n", ""))
    client = site()
    for old in ("conf/懇親会", "conf/懇親会の話"):
        assert client.get(page(old)).status_code == 404
        response = client.get(api(old))
        assert response.status_code == 404 and response.is_json


def test_an_id_in_use_again_is_that_session_not_a_redirect(notes, site):
    edit(notes, CONF.replace("## GPU の話", "## GPUの話"))
    notes.write("x.md", CONF)  # the old title again
    notes.kb_index()
    client = site()
    assert client.get(page("conf/gpu-の話")).status_code == 200
    response = client.get(page("conf/gpuの話"))
    assert (response.status_code, response.headers["Location"]) == (301, page("conf/gpu-の話"))


def test_an_event_with_a_new_id_redirects_its_pages(notes, site):
    edit(notes, CONF.replace("id: conf", "id: conf-2019"))
    client = site()
    for old, new in (("/events/conf", "/events/conf-2019"),
                     ("/api/events/conf", "/api/events/conf-2019"),
                     (page("conf/検索の話"), page("conf-2019/検索の話")),
                     (api("conf/検索の話"), api("conf-2019/検索の話"))):
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (301, new), old
    assert client.get("/events/never-was").status_code == 404
