"""The Content page's new packs: what the centre and a hub nearby offer, a pull by hand, the policy."""
from __future__ import annotations

import pytest

from hub.catalog import store as catalog
from sync import pack_policy, pack_sources, upstream
from tests.centralproc import CentralProcess
from tests.sync.packflows import centre_with, publisher, signed_zip
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, post, sign_in  # noqa: F401

PACK = "org.example.numbers"


@pytest.fixture
def admin(client, db):
    make_account(db)
    sign_in(client)
    return client


@pytest.fixture
def centre(tmp_path):
    private, public = publisher(tmp_path)
    with CentralProcess(tmp_path / "central") as proc:
        centre_with(proc.data_dir, public, signed_zip(tmp_path, private))
        yield proc


def test_without_a_centre_the_page_says_where_packs_can_come_from(admin):
    page = admin.get("/facilitator/content/updates")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "No centre is registered" in text
    assert "Nothing is downloading." in text and "Look for hubs nearby" in text
    assert 'href="/facilitator/content/updates"' in admin.get("/facilitator/content").get_data(as_text=True)


@pytest.mark.slow
def test_a_facilitator_sees_what_the_centre_offers_and_gets_it(admin, db, data_dir, centre):
    upstream.register({"HUB_DATA_DIR": str(data_dir)}, centre.url, "hub-w", "a-secret-long-enough-0123")
    text = admin.get("/facilitator/content/updates").get_data(as_text=True)
    assert "Numbers" in text and "Get this pack" in text and catalog.get_pack(db, PACK) is None
    answer = post(admin, "/facilitator/content/updates/pull", {"pack": PACK, "source": centre.url})
    assert answer.status_code == 303
    [job] = pack_sources.PULLS.recent("pull")[:1]
    assert pack_sources.PULLS.wait(job["id"], 60)["state"] == "done"
    assert catalog.get_pack(db, PACK)["version"] == "1.0.0"
    text = admin.get("/facilitator/content/updates").get_data(as_text=True)
    assert "Installed" in text and "Every pack the centre offers is installed" in text


@pytest.mark.slow
def test_a_hub_typed_by_address_shows_what_it_has_that_this_hub_lacks(admin, centre):
    post(admin, "/facilitator/content/updates/nearby", {"address": centre.url.removeprefix("http://")})
    text = admin.get("/facilitator/content/updates").get_data(as_text=True)
    assert f'value="{centre.url}"' in text and "Get this pack" in text


def test_a_pull_from_a_source_the_page_never_listed_is_refused(admin, db):
    answer = post(admin, "/facilitator/content/updates/pull", {"pack": PACK, "source": "http://10.9.9.9:1"})
    assert answer.status_code == 400 and catalog.get_pack(db, PACK) is None


def test_the_policy_form_saves_good_settings_and_refuses_bad_ones(admin, db):
    bad = post(admin, "/facilitator/content/updates/policy",
               {"pack_updates": "install", "pack_window": "9-5", "pack_daily_budget_mb": "lots",
                "pack_rate_kbps": "128"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "HH:MM-HH:MM" in text and 'aria-invalid="true"' in text
    assert pack_policy.policy(db) == pack_policy.DEFAULTS
    good = post(admin, "/facilitator/content/updates/policy",
                {"pack_updates": "download", "pack_window": "22:00-06:00", "pack_daily_budget_mb": "50",
                 "pack_rate_kbps": "128"})
    assert good.status_code == 303
    assert pack_policy.policy(db) == {"pack_updates": "download", "pack_window": "22:00-06:00",
                                      "pack_daily_budget_mb": 50, "pack_rate_kbps": 128}
