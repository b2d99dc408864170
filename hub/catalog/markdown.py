"""Markdown articles to safe HTML: python-markdown, then nh3 (ammonia) with an allowlist.

Pack authors are not trusted: raw HTML in an article, javascript: links, event attributes
and styles are all removed by the sanitizer, whatever the Markdown parser let through.
Relative links and images point at the pack's files (/content/<pack>/<folder of the article>/).
"""
from __future__ import annotations

import hashlib
import posixpath
from urllib.parse import quote

from hub.core.bytecache import ByteBoundedCache

MAX_ARTICLE_BYTES = 2 * 1024 * 1024  # an article is text; anything bigger is not rendered whole
TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
              "ol": {"start"}, "*": {"lang", "dir"}}
# Offline hub: only the hub's own files; data: images are fine, nothing runs.
URL_SCHEMES = {"http", "https", "mailto"}


def _rewrite(base: str):
    """An nh3 attribute filter: relative href/src become /content/... addresses."""
    def attribute_filter(tag: str, name: str, value: str):
        if name not in ("href", "src") or not value:
            return value
        if value.startswith(("#", "/", "mailto:")) or ":" in value.split("/", 1)[0]:
            return value
        joined = posixpath.normpath(posixpath.join(base, value))
        if joined.startswith("..") or joined.startswith("/"):
            return None  # points outside the pack: drop it
        return "/content/" + quote(joined)
    return attribute_filter


# Rendered articles, bounded by their size in bytes (keys are digests: the text is not kept).
RENDERED = ByteBoundedCache(8 * 1024 * 1024)


def _render(text: str, base: str) -> str:
    key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), base)
    html = RENDERED.get(key)
    if html is None:
        html = _render_uncached(text, base)
        RENDERED.put(key, html, len(html) + 100)  # an ASCII str takes a byte a character
    return html


def _render_uncached(text: str, base: str) -> str:
    # Imported on the first article, not at start: python-markdown and nh3 (a 1.5 MB native
    # library) cost an idle hub about 3 MB of memory, and many hubs serve no Markdown at all.
    import markdown
    import nh3

    html = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"],
                             output_format="html")
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     attribute_filter=_rewrite(base), clean_content_tags={"script", "style"},
                     link_rel="noopener noreferrer")


def render(text: str, *, pack_id: str = "", file: str = "") -> str:
    """Sanitized HTML for Markdown `text` (an article at `file` in pack `pack_id`)."""
    base = posixpath.join(pack_id, posixpath.dirname(file)) if pack_id else ""
    return _render(text, base)


def render_file(path, *, pack_id: str, file: str) -> str:
    """Read and render an article file (at most MAX_ARTICLE_BYTES; bad bytes replaced)."""
    with open(path, "rb") as handle:
        text = handle.read(MAX_ARTICLE_BYTES).decode("utf-8", errors="replace")
    return render(text, pack_id=pack_id, file=file)
