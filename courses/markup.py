"""Lesson text is Markdown: cleaned once at import, rendered and sanitised again at display.

Pure functions, no Django. Two layers, because either alone can fail: the import-time cleaning
keeps stored text free of script, event handlers and dangerous links (so exports such as SCORM
packages inherit clean text), and the display-time sanitiser is what actually stands between a
document and a learner's browser.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn",
        "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
        "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# An inline link or image: [text](url "title") / ![alt](url).
_INLINE_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]\n]*)\]\(\s*<?(?P<url>[^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
# A reference definition: [label]: url "title"
_REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(?P<url>\S+?)>?(?:\s+.*)?$", re.MULTILINE)
# An autolink: <scheme:anything>
_AUTOLINK = re.compile(r"<(?P<url>[a-zA-Z][a-zA-Z0-9+.\-]{1,31}:[^<>\s]*)>")
# Characters browsers ignore inside a URL's scheme ("java\tscript:").
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200d\ufeff]")


def url_is_allowed(url: str) -> bool:
    """A relative URL, or an absolute one whose scheme is http, https or mailto."""
    decoded = _URL_NOISE.sub("", html.unescape(url))
    match = _SCHEME.match(decoded)
    if match is None:
        # No scheme before the first "/", "?" or "#": relative. A colon later is harmless.
        return True
    return match.group(1).lower() in ALLOWED_SCHEMES


def _sanitize_html_fragment(fragment: str) -> str:
    cleaned = nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    # The sanitiser serialises text as HTML; give back the characters Markdown reads as text
    # (a ">" alone cannot open a tag, and "&lt;" stays escaped).
    return cleaned.replace("&nbsp;", "\u00a0").replace("&gt;", ">").replace("&amp;", "&")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "typographer": False})


def _html_line_ranges(text: str) -> list[tuple[int, int]]:
    """Line ranges (start, end) of the blocks that carry raw HTML."""
    ranges: list[tuple[int, int]] = []
    for token in _parser().parse(text):
        if token.map is None:
            continue
        if token.type == "html_block" or (
            token.type == "inline"
            and any(child.type == "html_inline" for child in token.children or [])
        ):
            ranges.append((token.map[0], token.map[1]))
    return ranges


def _drop_dangerous_links(text: str) -> str:
    def inline(match: re.Match[str]) -> str:
        if url_is_allowed(match.group("url")):
            return match.group(0)
        return match.group("text")

    def reference(match: re.Match[str]) -> str:
        return match.group(0) if url_is_allowed(match.group("url")) else ""

    def autolink(match: re.Match[str]) -> str:
        return match.group(0) if url_is_allowed(match.group("url")) else ""

    text = _INLINE_LINK.sub(inline, text)
    text = _REFERENCE_DEF.sub(reference, text)
    return _AUTOLINK.sub(autolink, text)


def clean_markdown(text: str) -> str:
    """Markdown safe to store: raw HTML sanitised, links with other schemes removed.

    Text without raw HTML or links passes through unchanged, character for character
    (typographic apostrophes and non-breaking spaces included).
    """
    lines = text.split("\n")
    for start, end in sorted(_html_line_ranges(text), reverse=True):
        fragment = "\n".join(lines[start:end])
        lines[start:end] = _sanitize_html_fragment(fragment).split("\n")
    return _drop_dangerous_links("\n".join(lines))


def render_markdown(text: str) -> str:
    """HTML for display: rendered from Markdown, then sanitised. The caller may mark it safe."""
    rendered = _parser().render(text)
    return nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def strip_tags(text: str) -> str:
    """Text without any HTML element (for titles, which are plain text)."""
    return html.unescape(nh3.clean(text, tags=set(), strip_comments=True)).strip()


def plain_text(text: str) -> str:
    """The words of a Markdown text without its markup (for search, counts and quiz sources)."""
    rendered = render_markdown(text)
    without_tags = re.sub(r"<[^>]+>", " ", rendered)
    return re.sub(r"[ \t]+", " ", html.unescape(without_tags)).strip()
