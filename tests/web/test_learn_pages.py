"""Learner pages: home cards, pack topic tree, a page per kind, search form, XSS made inert."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from hub.catalog import store as catalog
from tests.catalog.test_catalog_support import PACK_ID, default_files, default_resources, install

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture
def pack(db, tmp_path):
    return install(db, tmp_path / "pack")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def dangerous(html: str) -> list:
    """Tags that would run something: scripts not from /static/, styles, on* attributes,
    javascript: URLs, frames a pack put there. Escaped text is inert and not a tag."""
    parser = _Tags()
    parser.feed(html)
    bad = []
    for tag, attrs in parser.found:
        if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
            bad.append(tag)
        if tag in ("style", "object", "embed") or (tag == "iframe" and attrs.get("src") == "/"):
            bad.append(tag)
        bad += [name for name, value in attrs.items() if name.startswith("on")
                or (value or "").strip().lower().startswith("javascript:")]
    return bad


def page(client, url, lang="en"):
    client.set_cookie("hub_lang", lang)  # the language the learner chose
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_home_shows_packs_in_the_learners_language(client, pack):
    for lang, title in (("en", "Health at home"), ("fr", "La santé à la maison"),
                        ("ar", "الصحة في البيت"), ("es", "Health at home")):
        status, html = page(client, "/", lang)
        assert status == 200 and title in html and f'href="/packs/{PACK_ID}"' in html


def test_home_is_small(client, pack):
    status, html = page(client, "/")
    css = client.get("/static/hub.css").data
    assert status == 200 and len(html.encode()) + len(css) < 60_000


def test_empty_hub_says_so(client):
    assert "No learning packs are installed yet" in page(client, "/")[1]


def test_pack_page_shows_the_topic_tree(client, pack):
    status, html = page(client, f"/packs/{PACK_ID}", "fr")
    assert status == 200
    assert html.index("L&#39;eau") < html.index("More") < html.index("Les nombres")
    assert f"/packs/{PACK_ID}/water-fr" in html and f"/packs/{PACK_ID}/water-en" not in html
    assert "Test publisher" in html


def test_article_is_rendered_markdown(client, pack):
    status, html = page(client, f"/packs/{PACK_ID}/water-en")
    assert status == 200 and "<h1>Clean water</h1>" in html and "Boil the water" in html
    assert f'href="/packs/{PACK_ID}/water-fr"' in html and 'hreflang="ar"' in html  # other languages


def test_arabic_resource_is_right_to_left(client, pack):
    html = page(client, f"/packs/{PACK_ID}/water-ar", "ar")[1]
    assert 'lang="ar" dir="rtl"' in html and '<html lang="ar" dir="rtl">' in html


@pytest.mark.parametrize("rid, needle", [
    ("video", '<video class="player" controls preload="metadata" src="/content/org.test.health/media/hands.webm?v='),
    ("song", '<audio class="player" controls preload="metadata" src="/content/org.test.health/media/song.mp3?v='),
    ("guide", '<iframe class="document-frame" src="/content/org.test.health/docs/guide.pdf?v='),
    ("picture", '<img src="/content/org.test.health/images/hands.svg?v='),
    ("stars", '<iframe class="app-frame" sandbox="allow-scripts" src="/content/org.test.health/apps/stars.zip/index.html?v='),
])
def test_each_kind_has_its_player(client, pack, rid, needle):
    status, html = page(client, f"/packs/{PACK_ID}/{rid}")
    assert status == 200 and needle in html


def test_the_app_iframe_never_gets_same_origin(client, pack):
    html = page(client, f"/packs/{PACK_ID}/stars")[1]
    frames = re.findall(r"<iframe[^>]*>", html)
    assert frames and all("allow-same-origin" not in f for f in frames)


def test_missing_and_hidden_are_404(client, db, pack):
    assert page(client, f"/packs/{PACK_ID}/nope")[0] == 404
    assert page(client, "/packs/org.no.pack")[0] == 404
    catalog.set_enabled(db, PACK_ID, False)
    assert page(client, f"/packs/{PACK_ID}")[0] == 404
    assert page(client, f"/packs/{PACK_ID}/water-en")[0] == 404
    assert PACK_ID not in page(client, "/")[1]


def test_search_page_with_filters(client, pack):
    status, html = page(client, "/search?q=maji", "sw")
    assert status == 200 and f"/packs/{PACK_ID}/water-sw" in html
    html = page(client, "/search?q=eau&language=fr&kind=article", "en")[1]
    assert f"/packs/{PACK_ID}/water-fr" in html and '<option value="fr" lang="fr" selected>' in html
    html = page(client, "/search?q=zzzzqqq")[1]
    assert "Nothing found" in html
    html = page(client, "/search?q=%22%29%28*%20OR")[1]  # syntax characters: just no results
    assert "Nothing found" in html
    assert 'method="get"' in html and '<label for="kind">' in html


def test_xss_in_titles_descriptions_and_articles_is_inert(client, db, tmp_path):
    files = default_files()
    files["articles/water.en.md"] = (
        f"# Title {XSS}\n\n[click](javascript:alert(3)) <a href=\"x\" onclick=\"alert(4)\">x</a>\n\n"
        "<iframe src=\"/\"></iframe><style>body{{display:none}}</style>\n").encode()
    resources = default_resources()
    resources[0]["title"] = f"Water {XSS}"
    resources[0]["description"] = XSS
    install(db, tmp_path / "xss", files=files, resources=resources,
            title={"en": f"Pack {XSS}"}, description={"en": XSS})
    for url in ("/", f"/packs/{PACK_ID}", f"/packs/{PACK_ID}/water-en", "/search?q=water"):
        html = page(client, url)[1]
        main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        assert not dangerous(main), url
    assert "&lt;script&gt;" in page(client, "/")[1]


def test_a_big_topic_shows_a_phone_screen_of_cards_then_a_link_to_all(client, db, tmp_path):
    from hub.web.views.learn import OVERVIEW_PER_TOPIC

    count = OVERVIEW_PER_TOPIC + 8
    files = {f"articles/a{i}.md": f"# Lesson {i}\n\nText {i}.\n".encode() for i in range(count)}
    resources = [{"id": f"lesson-{i}", "kind": "article", "language": "en", "group": f"g{i}",
                  "title": f"Lesson number {i}", "description": "", "tags": [],
                  "file": f"articles/a{i}.md"} for i in range(count)]
    topics = [{"id": "lessons", "title": {"en": "Lessons"},
               "resources": [r["id"] for r in resources]}]
    install(db, tmp_path / "big", files=files, resources=resources, topics=topics,
            languages=["en"])

    status, overview = page(client, f"/packs/{PACK_ID}")
    assert status == 200
    assert overview.count(f'href="/packs/{PACK_ID}/lesson-') == OVERVIEW_PER_TOPIC
    assert "Show 8 more" in overview and f"/packs/{PACK_ID}?topic=lessons" in overview
    status, whole = page(client, f"/packs/{PACK_ID}?topic=lessons")
    assert status == 200 and whole.count(f'href="/packs/{PACK_ID}/lesson-') == count
