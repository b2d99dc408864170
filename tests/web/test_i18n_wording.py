"""Wording a translator can get right: limits quoted from the real constants, counts with
their plural forms, and install titles put in words in each reader's own language."""
from __future__ import annotations

import re

from flask_babel import force_locale

from hub.accounts import facilitators
from hub.ops import jobs
from hub.learning import learners
from hub.web.views.facilitator_reports import summary
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, sign_in  # noqa: F401
from tests.learning.test_learners_support import form


def test_install_titles_are_worded_for_each_reader(client, db):
    """A job keeps what it does, not words: the same job reads in English and in French."""
    make_account(db)
    assert sign_in(client).status_code == 302
    usb = jobs.RUNNER.submit("install", "usb", lambda progress: {}, details={"count": 3})
    upload = jobs.RUNNER.submit("install", "upload", lambda progress: {}, details={"name": ""})
    jobs.RUNNER.wait(usb, 10), jobs.RUNNER.wait(upload, 10)
    assert "<h1>Installing 3 packs from a USB stick or folder</h1>" in client.get(f"/facilitator/jobs/{usb}").text
    assert "<h1>Installing the uploaded pack</h1>" in client.get(f"/facilitator/jobs/{upload}").text
    client.set_cookie("hub_lang", "fr")
    assert "<h1>Installation de 3 packs depuis une clé USB ou un dossier</h1>" in \
        client.get(f"/facilitator/jobs/{usb}").text
    assert "<h1>Installation du pack importé</h1>" in client.get(f"/facilitator/jobs/{upload}").text


def test_limits_in_the_words_follow_the_constants(client, monkeypatch):
    """Change a limit in code and every label, hint and refusal says the new number."""
    monkeypatch.setattr(learners, "PIN_LENGTH", 6)
    monkeypatch.setattr(learners, "PIN_RE", re.compile(r"[0-9]{6}"))
    monkeypatch.setattr(facilitators, "MIN_PASSWORD", 10)
    signup = client.get("/signup").text
    assert "A PIN, if you want one (6 digits)" in signup
    assert 'pattern="[0-9]{6}" maxlength="6"' in signup
    assert "At least 10 characters." in client.get("/setup").text
    refused = form(client, "/signup", {"name": "Zuri", "avatar": "cat", "pin": "1234"}).text
    assert "A PIN is 6 digits. Please try again." in refused
    client.set_cookie("hub_lang", "sw")
    assert "PIN, ukipenda (tarakimu 6)" in client.get("/signup").text


def test_report_sentences_each_agree_with_their_own_number(app):
    """One count per sentence, so one minute and one learner read as such, in every language."""
    data = {"totals": {"active_learners": 1, "learning_minutes": 1, "resources_completed": 2},
            "days": [{"date": "2026-11-01", "active_learners": 1, "learning_minutes": 1}]}
    with app.test_request_context():
        english = summary(data)
        with force_locale("fr"):
            french = summary(data)
        with force_locale("ar"):
            arabic = summary(data)
    assert english[:3] == ["Learners who used the hub in the last 1 day: 1.",
                           "Together they learned for 1 minute.", "They completed 2 resources."]
    assert "The busiest day was November 1, 2026, with 1 learner." in english
    assert french[1:3] == ["Ensemble, ils et elles ont appris pendant 1 minute.",
                           "Ils et elles ont terminé 2 ressources."]
    assert "أكملوا موردَين." in arabic  # Arabic's own form for two


def test_the_kept_page_carries_every_plural_form_of_its_language(client):
    """The script picks among whole sentences, one per plural category, never builds one."""
    def forms(lang):
        client.set_cookie("hub_lang", lang)
        return dict(re.findall(r'data-pending-(\w+)="([^"]*)"', client.get("/offline").text))

    english = forms("en")
    assert sorted(english) == ["one", "other"]
    assert english["one"].startswith("Waiting to be sent to the hub: {count} answer or step of progress.")
    arabic = forms("ar")
    assert sorted(arabic) == sorted(["zero", "one", "two", "few", "many", "other"])
    assert "إجابتان" in arabic["two"] and "{count} إجابات" in arabic["few"]  # the dual; 3 to 10


def test_list_and_detail_placeholders_stay_whole_sentences(client, db):
    """A learner's groups and a group name too long are said in one translated sentence each."""
    make_account(db)
    assert sign_in(client).status_code == 302
    learner = learners.create_learner(db, "Zuri")
    for name in ("Readers", "Club <b>"):
        group = learners.create_group(db, name)
        learners.add_to_group(db, group["id"], learner["id"])
    page = client.get(f"/facilitator/learners/{learner['id']}").text
    assert re.search(r"<p>Groups: <a href=\"[^\"]+\">Club &lt;b&gt;</a>, <a href=\"[^\"]+\">Readers</a></p>", page)
    client.set_cookie("hub_lang", "fr")
    page = client.get(f"/facilitator/learners/{learner['id']}").text
    assert "Groupes : <a href=" in page
    client.delete_cookie("hub_lang")
    form(client, "/facilitator/groups", {"name": "x" * (learners.GROUP_NAME_MAX + 1)})
    assert f"Please give a name of 1 to {learners.GROUP_NAME_MAX} characters." in client.get("/facilitator/groups").text
