"""Pages read right in Arabic on any phone: Latin bits isolated, no emoji a phone may lack."""
def test_the_language_menu_draws_its_globe_without_an_emoji_font(client):
    html = client.get("/", headers={"Cookie": "hub_lang=ar"}).get_data(as_text=True)
    assert "\U0001F310" not in html  # shows as an empty box on phones without an emoji font
    assert 'icons.svg#globe"' in html
    sheet = client.get("/static/icons.svg").get_data(as_text=True)
    assert '<symbol id="globe"' in sheet


def test_latin_names_and_versions_are_isolated_in_right_to_left_text(app, db, client, tmp_path):
    from hub.catalog.packs import install
    from tests.packfactory import PACK_ID, make_pack

    install.install(db, app.config["HUB_DATA_DIR"], make_pack(tmp_path / "pack"), reserve_bytes=0)
    html = client.get(f"/packs/{PACK_ID}", headers={"Cookie": "hub_lang=ar"}).get_data(as_text=True)
    manifest = db.execute("SELECT publisher, license FROM packs").fetchone()
    # "Made by <publisher>. License: <license>." with the Latin parts isolated from the Arabic.
    assert f"<bdi>{manifest[0]}</bdi>" in html and f'<bdi dir="ltr">{manifest[1]}</bdi>' in html


def test_the_deployment_guide_gets_the_code_without_a_placeholder_address():
    from tests.helpers import ROOT

    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert "ADDRESS-OF" not in guide
    assert "tar -xzf /media/usb/community-learning-hub-" in guide  # from the USB stick
    assert "needs https" in guide and "HUB_TRUSTED_PROXY" in guide  # why "Keep" may be missing
