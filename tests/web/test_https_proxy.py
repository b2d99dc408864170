"""Behind an https reverse proxy the hub's cookies are `Secure`; on plain http they are not."""
import pytest

from tests.helpers import HubProcess, http


def test_cookies_are_secure_when_the_page_came_over_https(app):
    secure = app.test_client().post("/api/v1/learners", json={"name": "Asha"},
                                    base_url="https://hub.example")
    cookie = secure.headers["Set-Cookie"]
    assert secure.status_code == 201 and "Secure" in cookie and "HttpOnly" in cookie
    plain = app.test_client().post("/api/v1/learners", json={"name": "Baraka"})
    assert "Secure" not in plain.headers["Set-Cookie"]
    language = app.test_client().get("/language/fr", base_url="https://hub.example")
    assert "hub_lang=fr" in language.headers["Set-Cookie"] and "Secure" in language.headers["Set-Cookie"]


@pytest.mark.slow
def test_x_forwarded_proto_is_believed_only_from_the_trusted_proxy(tmp_path):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.7"}
    with HubProcess(tmp_path / "trusting", HUB_TRUSTED_PROXY="127.0.0.1") as hub:
        status, headers, _body = http("POST", hub.url + "/api/v1/learners", {"name": "Asha"},
                                      headers=forwarded)
        assert status == 201 and "Secure" in headers["Set-Cookie"]
        status, headers, _body = http("POST", hub.url + "/api/v1/learners", {"name": "Baraka"})
        assert status == 201 and "Secure" not in headers["Set-Cookie"]
    # Without HUB_TRUSTED_PROXY anyone could send the header: it is dropped.
    with HubProcess(tmp_path / "plain") as hub:
        status, headers, _body = http("POST", hub.url + "/api/v1/learners", {"name": "Asha"},
                                      headers=forwarded)
        assert status == 201 and "Secure" not in headers["Set-Cookie"]
