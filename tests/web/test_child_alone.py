"""A child alone on a shared phone, over HTTP (issue 18): care after a sad check-in, "everyone
else" on the sign-in list, idle sign-out on a shared device, time estimated from page views
without JavaScript and the same minutes for the facilitator, marks on pack pages, counts a
child sees, the end of an exercise as a summary, and "Upgrade" only when a newer pack waits."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from hub.core import settings
from hub.learning import learners
from tests.helpers import ROOT
from tests.learning.test_learners_support import PACK, form, install_test_pack
from tests.web.test_facilitator_support import make_account, sign_in

WELLBEING = "org.communityhub.wellbeing"


@pytest.fixture
def app_config(app_config, tmp_path):
    """The hub with the real well-being pack installed at start (and nothing else)."""
    source = tmp_path / "packs-source"
    source.mkdir()
    (source / WELLBEING).symlink_to(ROOT / "content_packs" / WELLBEING)
    return {**app_config, "HUB_PACKS_SOURCE": str(source)}


def _signed_up(client, name="Asha", language="en"):
    form(client, "/signup", {"name": name, "avatar": "lion", "language": language})


def _check_in(client, mood: int):
    client.get("/checkin")
    return form(client, "/checkin", {"action": str(mood), "next": "/me"})


@pytest.mark.parametrize("language, breathing", [("en", "balloon-breathing-en"),
                                                 ("sw", "balloon-breathing-sw"),
                                                 ("ar", "balloon-breathing-ar")])
def test_a_very_sad_check_in_answers_with_care_and_well_being_resources(client, language,
                                                                        breathing):
    _signed_up(client, language=language)
    response = _check_in(client, 1)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # The hub's own calming and asking-for-help resources, in the child's language.
    assert f'href="/packs/{WELLBEING}/{breathing}"' in page
    assert f'href="/packs/{WELLBEING}/asking-for-help-{language}"' in page
    assert 'class="care"' in page
    if language == "en":
        assert "I am sorry you feel very sad today." in page
        assert "a grown-up you trust" in page
        assert "Thank you for telling us how you feel." not in page


def test_a_happy_check_in_is_thanked_without_the_care_page(client):
    _signed_up(client)
    response = _check_in(client, 5)
    assert response.status_code == 302 and response.headers["Location"].endswith("/me")
    page = client.get("/me").get_data(as_text=True)
    assert "Thank you for telling us how you feel." in page
    assert "well-being" not in page and f"/packs/{WELLBEING}/balloon" not in page


def test_repeated_very_sad_check_ins_show_on_the_childs_facilitator_page_only_when_set(
        app, client, db, clock_at):
    asha = learners.create_learner(db, "Asha")
    from hub.learning import checkins
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
    for day in range(2):
        clock_at(start + dt.timedelta(days=day))
        checkins.record(db, asha, 1)
    clock_at(start + dt.timedelta(days=3))
    make_account(db)
    sign_in(client)
    url = f"/facilitator/learners/{asha['id']}"
    assert 'id="very-sad"' not in client.get(url).get_data(as_text=True)
    settings.set(db, "show_very_sad_checkins", True)
    page = client.get(url).get_data(as_text=True)
    assert 'id="very-sad"' in page and "felt very sad 2 times in the last two weeks" in page
    # Another child's own pages never say it.
    _signed_up(client, "Baraka")
    assert "very sad" not in client.get("/me").get_data(as_text=True)


def test_a_child_in_no_group_is_under_everyone_else(client, db):
    group = learners.create_group(db, "Class 3")
    zuri = learners.create_learner(db, "Zuri")
    amani = learners.create_learner(db, "Amani")
    learners.add_to_group(db, group["id"], amani["id"])
    page = client.get("/signin").get_data(as_text=True)
    assert "Everyone else" in page and "Zuri" not in page  # groups first: two taps
    others = client.get("/signin?group=none").get_data(as_text=True)
    assert "Zuri" in others and "Amani" not in others
    assert f'action="/signin/{zuri["id"]}"' in others


def test_everyone_else_is_not_offered_when_every_child_has_a_group(client, db):
    group = learners.create_group(db, "Class 3")
    amani = learners.create_learner(db, "Amani")
    learners.add_to_group(db, group["id"], amani["id"])
    assert "Everyone else" not in client.get("/signin").get_data(as_text=True)


def test_a_shared_device_signs_an_idle_child_out(client, db, clock_at):
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
    clock_at(start)
    settings.set(db, "shared_device_idle_minutes", 10)
    _signed_up(client)
    clock_at(start + dt.timedelta(minutes=9))
    assert "Asha" in client.get("/").get_data(as_text=True)  # still in use
    clock_at(start + dt.timedelta(minutes=25))
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert 'class="whoami"' not in page
    assert "no one used this device for a while" in page
    assert client.get("/me").status_code == 302  # signed out


def test_without_the_setting_an_idle_child_stays_signed_in(client, clock_at):
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
    clock_at(start)
    _signed_up(client)
    clock_at(start + dt.timedelta(hours=5))
    assert 'class="whoami"' in client.get("/").get_data(as_text=True)


def test_the_header_names_the_child_and_not_you_leads_to_the_sign_in_list(client):
    _signed_up(client, "Neema")
    page = client.get("/").get_data(as_text=True)
    header = re.search(r'<header class="top">(.*?)</header>', page, re.S).group(1)
    assert "Neema" in header and "avatars/lion.svg" in header and "Not you?" in header
    response = form(client, "/signout", {"next": "/signin"})
    assert response.headers["Location"].endswith("/signin")
    assert "Neema" not in client.get("/").get_data(as_text=True).split("</header>")[0]


def test_time_without_javascript_is_an_estimate_and_the_facilitator_sees_the_same(
        client, db, data_dir, clock_at):
    install_test_pack(db, data_dir)
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(minutes=30)
    clock_at(start)
    _signed_up(client)
    client.get(f"/packs/{PACK}/story")                  # started
    clock_at(start + dt.timedelta(minutes=4))
    form(client, f"/packs/{PACK}/story/done")           # "I finished this", four minutes on
    clock_at(start + dt.timedelta(minutes=5))
    page = client.get("/me").get_data(as_text=True)
    # 4 minutes between the two page views, and one for the last page.
    assert "This week you learned for 5 minutes." in page and "estimated" in page
    make_account(db)
    sign_in(client)
    asha = learners.list_learners(db, q="Asha")[0]
    staff = client.get(f"/facilitator/learners/{asha['id']}").get_data(as_text=True)
    assert re.search(r"Minutes of learning this week: <strong>5</strong>", staff)


def test_a_long_pause_is_not_counted_as_learning(client, db, data_dir, clock_at):
    install_test_pack(db, data_dir)
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(hours=3)
    clock_at(start)
    _signed_up(client)
    client.get(f"/packs/{PACK}/story")
    clock_at(start + dt.timedelta(hours=2))             # the phone lay open for two hours
    form(client, f"/packs/{PACK}/story/done")
    page = client.get("/me").get_data(as_text=True)
    assert "This week you learned for 2 minutes." in page  # one per page view, capped


def test_pack_pages_mark_what_the_child_started_and_finished(client, db, data_dir):
    install_test_pack(db, data_dir)
    _signed_up(client)
    client.get(f"/packs/{PACK}/video")
    form(client, f"/packs/{PACK}/story/done")
    page = client.get(f"/packs/{PACK}").get_data(as_text=True)
    assert page.count('class="mark finished"') == 1 and page.count('class="mark started"') == 1
    # Another child sees the same pack without those marks.
    form(client, "/signout", {"next": "/"})
    _signed_up(client, "Baraka")
    assert 'class="mark ' not in client.get(f"/packs/{PACK}").get_data(as_text=True)


def test_a_pack_card_counts_what_a_child_sees_in_their_language(client):
    # 32 resources: 8 things, each in four languages.
    page = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    card = re.search(r'class="card pack-card".*?</li>', page, re.S).group(0)
    assert re.search(r'class="badge">8 ', card) and "32" not in card


def test_the_end_of_an_exercise_is_a_summary(client, db, data_dir):
    install_test_pack(db, data_dir)
    _signed_up(client)
    form(client, f"/packs/{PACK}/quiz/question/legs", {"answer": "b"})
    page = client.get(f"/packs/{PACK}/quiz/summary").get_data(as_text=True)
    assert re.search(r"You got 1 of \d+ questions? right\.", page)
    assert "Try this one again" in page or "Not tried yet" in page
    assert client.get(f"/packs/{PACK}/story/summary").status_code == 404  # not an exercise


def test_signup_offers_24_pictures_and_none_is_chosen_for_the_child(client):
    page = client.get("/signup").get_data(as_text=True)
    pictures = set(re.findall(r'name="avatar" value="([a-z]+)"', page))
    assert len(pictures) >= 24
    assert not re.search(r'name="avatar" value="[a-z]+" checked', page)


def test_the_shared_device_and_check_in_settings_are_saved_and_bad_values_refused(client, db):
    make_account(db)
    sign_in(client)
    base = {"hub_name": "Mtaani Hub", "default_locale": "en", "timezone": "Africa/Nairobi"}
    response = form(client, "/facilitator/settings", {**base, "shared_device_idle_minutes": "15",
                                                      "show_very_sad_checkins": "1"})
    assert response.status_code == 302
    assert settings.get(db, "shared_device_idle_minutes") == 15
    assert settings.get(db, "show_very_sad_checkins") is True
    refused = form(client, "/facilitator/settings", {**base, "shared_device_idle_minutes": "soon"})
    assert refused.status_code == 400
    assert "Write a number of minutes from 0 to 1440." in refused.get_data(as_text=True)
    assert settings.get(db, "shared_device_idle_minutes") == 15


def test_upgrade_shows_only_when_a_newer_version_waits_and_leads_to_it(app, client, db, tmp_path):
    from hub.catalog.packs import install
    from tests.packfactory import PACK_ID, make_pack

    install.install(db, app.config["HUB_DATA_DIR"], make_pack(tmp_path / "v1", version="1.0.0"),
                    reserve_bytes=0)
    stick = tmp_path / "stick"
    stick.mkdir()
    app.config["HUB_USB_MOUNTS"] = str(stick)
    make_account(db)
    sign_in(client)
    assert "Upgrade" not in client.get("/facilitator/content").get_data(as_text=True)
    make_pack(stick / "drive" / "pack-v2", version="1.1.0")
    page = client.get("/facilitator/content").get_data(as_text=True)
    assert "Upgrade to 1.1.0" in page
    assert f'href="/facilitator/content/usb#found-{PACK_ID}"' in page
    assert f'id="found-{PACK_ID}"' in client.get("/facilitator/content/usb").get_data(as_text=True)


def test_on_a_shared_device_the_sign_in_ends_with_the_browser_session(client, db):
    settings.set(db, "shared_device_idle_minutes", 10)
    response = form(client, "/signup", {"name": "Asha", "avatar": "lion", "language": "en"})
    cookie = response.headers.get("Set-Cookie", "")
    assert "session=" in cookie and "Expires=" not in cookie


def test_dashboard_charts_are_drawn_for_a_phone_and_keep_their_anchors_in_arabic(client, db):
    make_account(db)
    sign_in(client)
    client.set_cookie("hub_lang", "ar")
    page = client.get("/facilitator/").get_data(as_text=True)
    charts = re.findall(r'<svg [^>]*class="chart[^>]*>', page)
    assert charts, "the dashboard draws its charts"
    for svg in charts:
        # 12 px text at 360 units stays about 12 px on a 360 px phone; anchors are mirrored
        # by the chart itself, so the page's rtl must not flip them again.
        assert 'viewBox="0 0 360 ' in svg and 'direction="ltr"' in svg
