"""Caches bounded by bytes: the oldest go first, nothing larger than the bound is kept."""
from hub.core.bytecache import ByteBoundedCache


def test_the_cache_keeps_at_most_its_bytes_and_drops_the_least_recently_used():
    cache = ByteBoundedCache(100)
    cache.put("a", "A", 40)
    cache.put("b", "B", 40)
    assert cache.get("a") == "A"  # a is now the most recent
    cache.put("c", "C", 40)
    assert cache.get("b") is None and cache.get("a") == "A" and cache.get("c") == "C"
    assert cache.held_bytes() == 80
    cache.put("huge", "H", 101)
    assert cache.get("huge") is None and cache.held_bytes() == 80
    cache.put("a", "A2", 10)
    assert cache.get("a") == "A2" and cache.held_bytes() == 50


def test_rendered_articles_are_bounded_in_bytes():
    from hub.catalog import markdown

    markdown.RENDERED.clear()
    for n in range(16):
        markdown.render("word " * 100_000 + str(n))  # about 600 KB of HTML each
    assert markdown.RENDERED.held_bytes() <= markdown.RENDERED.max_bytes
