"""ZIM archives read with libzim: metadata, entries, redirects, search, thread safety."""
from __future__ import annotations

import threading

import pytest

from hub.catalog.zim import archive as zim_archive

libzim = pytest.importorskip("libzim")

from hub.catalog.zim import build, search  # noqa: E402  (after the skip: both need libzim to matter)

MEDIA = bytes(range(256)) * 256   # 64 KiB, not compressible by pattern alone: a "video"


def make_sample_zim(path, *, language="eng", name="hub_test_en", date="2024-03-01",
                    title="Animals of the savanna", articles=None):
    """A small ZIM in one language: home, two articles, a redirect, an image, a media file."""
    if language == "fra":
        articles = articles or [
            {"path": "Accueil", "title": "Accueil",
             "content": "<html><head><title>Accueil</title></head><body>"
                        "<a href='Girafe'>Girafe</a></body></html>"},
            {"path": "Girafe", "title": "Girafe",
             "content": "<html><head><title>Girafe</title></head><body>La girafe mange "
                        "des feuilles d'acacia dans la savane.</body></html>"},
        ]
        main = "Accueil"
        redirects = [("Giraffe", "Giraffe", "Girafe")]
    else:
        articles = articles or [
            {"path": "Home", "title": "Home",
             "content": "<html><head><title>Home</title></head><body><a href='Zebra'>Zebra</a>"
                        " <a href='Lion'>Lion</a></body></html>"},
            {"path": "Zebra", "title": "Zebra",
             "content": "<html><head><title>Zebra</title></head><body><img src='img/zebra.png'>"
                        "Zebras graze on the acacia savanna in large herds.</body></html>"},
            {"path": "Lion", "title": "Lion",
             "content": "<html><head><title>Lion</title></head><body><a href='Zebra'>prey</a>"
                        " Lions hunt at night.</body></html>"},
            {"path": "img/zebra.png", "title": "", "mimetype": "image/png",
             "content": build.png(16, 8, (0, 0, 0))},
            {"path": "media/clip.webm", "title": "", "mimetype": "video/webm", "content": MEDIA},
        ]
        main = "Home"
        redirects = [("Zeb", "Zeb", "Zebra")]
    return build.write_zim(
        path, articles, main_path=main, redirects=redirects, illustration=build.png(),
        index_language=language,
        metadata={"Title": title, "Description": "Who lives on the savanna", "Language": language,
                  "Name": name, "Date": date, "Publisher": "Test Publisher",
                  "Creator": "Test Creator", "Tags": "animals;_ftindex:yes"})


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return str(make_sample_zim(tmp_path_factory.mktemp("zim") / "sample.zim"))


def test_language_codes_become_bcp47():
    assert [zim_archive.bcp47(c) for c in ("eng", "fra", "swa", "ara", "hin", "spa", "por", "hau", "amh")] == \
        ["en", "fr", "sw", "ar", "hi", "es", "pt", "ha", "am"]
    assert zim_archive.bcp47("en") == "en"           # already two letters
    assert zim_archive.bcp47("fuv") == "fuv"         # no ISO 639-1 code: kept as is
    assert zim_archive.languages("fra,eng") == ["fr", "en"]
    assert zim_archive.bcp47("") == "und"


def test_metadata_is_read(sample):
    meta = zim_archive.metadata(zim_archive.load(sample))
    assert meta["title"] == "Animals of the savanna"
    assert meta["description"] == "Who lives on the savanna"
    assert meta["language"] == "en" and meta["languages"] == ["en"]
    assert meta["publisher"] == "Test Publisher"
    assert meta["illustration"].startswith(b"\x89PNG")
    assert meta["main_path"] == "Home"
    assert meta["tags"] == ["animals"]
    assert meta["has_fulltext"] is True


def test_entries_redirects_and_missing(sample):
    archive = zim_archive.open_archive(sample)
    found = zim_archive.lookup(archive, "img/zebra.png")
    assert found.item.mimetype == "image/png" and bytes(found.item.content).startswith(b"\x89PNG")
    assert zim_archive.lookup(archive, "Zeb").redirect == "Zebra"
    assert zim_archive.lookup(archive, "Nope") is None
    assert zim_archive.open_archive(sample) is archive   # cached


def test_cluster_cache_is_sized_from_archives_and_memory():
    mib = 1024 * 1024
    assert zim_archive.cluster_cache_size(1 * mib, memory=1024 * mib) == 16 * mib
    assert zim_archive.cluster_cache_size(100 * mib, memory=1024 * mib) == 100 * mib
    assert zim_archive.cluster_cache_size(900 * mib, memory=1024 * mib) == 128 * mib
    assert zim_archive.cluster_cache_size(9000 * mib, memory=16384 * mib) == 256 * mib


def test_fulltext_and_suggestions(sample):
    assert [p for p, _ in search.fulltext(sample, "acacia", 10)] == ["Zebra"]
    assert ("Zebra", "Zebra") in search.suggest(sample, "zeb", 10)


def test_search_is_safe_from_many_threads(sample):
    """Eight threads searching one archive at once all get the right answer."""
    errors, results = [], []
    barrier = threading.Barrier(8)

    def work():
        barrier.wait()
        try:
            for _ in range(20):
                results.append(tuple(p for p, _ in search.fulltext(sample, "savanna", 5)))
                results.append(tuple(p for p, _ in search.suggest(sample, "li", 5)))
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(results) == {("Zebra",), ("Lion",)}
