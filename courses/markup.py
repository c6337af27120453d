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
# A reference definition: [label]: url "title". The label may run over lines of one paragraph;
# ``rest`` is the line that holds the URL (the definition's own line, or the next one).
_REFERENCE_DEF = re.compile(
    r"^ {0,3}\[(?:[^\\\[\]\n]|\\.|\n(?![ \t]*\n)){1,999}\]:[ \t]*(?:\n[ \t]*)?(?P<rest>[^\n]*)",
    re.MULTILINE,
)
# An autolink: <scheme:anything>
_AUTOLINK = re.compile(r"<(?P<url>[a-zA-Z][a-zA-Z0-9+.\-]{1,31}:[^<>\s]*)>")
# Characters browsers ignore inside a URL's scheme ("java\tscript:").
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200d\ufeff]")
# CommonMark backslash escapes, which apply inside link destinations ("javascript\\:").
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BLANK_LINE_AFTER = re.compile(r"\n[ \t]*(?:\n|$)")
# What can spell a URL scheme before its colon: scheme characters, characters browsers ignore,
# backslash escapes and character references ("&#106;avascript&#58;").
_SCHEME_SPELLING = re.compile(
    r"[ \t\r\n]*<?(?:[a-zA-Z0-9+.\-\x00-\x1f\x7f-\x9f\u200b-\u200d\ufeff\\]|&#?[a-zA-Z0-9]{1,32};?)"
    r"{0,64}"
)
# "[", "]" (unless escaped) and blank lines, which end a paragraph and so any link text.
_BRACKET_OR_BLANK_LINE = re.compile(r"\\.|[\[\]]|\n[ \t]*(?=\n)")
# A link destination and title are looked for this far after their "(", which bounds the work
# on hostile input (the cleaning stays linear in the length of the text).
# A lesson picture's reference, as the importers write it: ``image:<sha256>``.
_IMAGE_KEY = re.compile(r"image:[0-9a-f]{64}")
_LINK_WINDOW = 2048
# Cleaning can join pieces into new markup ("[a]<xy:z>(javascript:…)" once the autolink goes):
# it is repeated until nothing changes.
_MAX_CLEANING_PASSES = 32


def url_is_allowed(url: str) -> bool:
    """A relative URL, an absolute one whose scheme is http, https or mailto, or a lesson
    picture's reference (``image:<sha256>``, served at IMAGE_PATH)."""
    decoded = _URL_NOISE.sub("", html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", url)))
    if _IMAGE_KEY.fullmatch(decoded):
        return True
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
    # Tables: a Word, LibreOffice or web page's tables come in as pipe tables.
    return MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")


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


def _destination(raw: str) -> str:
    """The URL at the start of a link's "(…" as leniently as a browser reads it.

    Tabs and line breaks inside a URL are ignored by browsers (and by lax Markdown renderers),
    so "java<TAB>script:" counts as "javascript:".
    """
    text = re.sub(r"[\t\r\n]", "", raw).lstrip(" ")
    if text.startswith("<"):
        return text[1:].split(">", 1)[0]
    return text.split(" ", 1)[0]


def _is_escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _skip_spaces(text: str, index: int, limit: int) -> int:
    """Past spaces and tabs, and at most one line break (CommonMark's link whitespace)."""
    while index < limit and text[index] in " \t":
        index += 1
    if index < limit and text[index] == "\n":
        index += 1
        while index < limit and text[index] in " \t":
            index += 1
    return index


def _commonmark_link_end(text: str, open_paren: int, limit: int) -> int | None:
    """Past the ")" of '(destination "title")' read as CommonMark reads it; None if not one."""
    i = _skip_spaces(text, open_paren + 1, limit)
    if i < limit and text[i] == "<":
        i += 1
        while i < limit and text[i] not in "<>\n":
            i += 2 if text[i] == "\\" else 1
        if i >= limit or text[i] != ">":
            return None
        i += 1
    else:
        depth = 0
        while i < limit and not text[i].isspace() and ord(text[i]) >= 0x20:
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        if depth:
            return None
    after_destination = i
    i = _skip_spaces(text, i, limit)
    if after_destination < i < limit and text[i] in "\"'(":
        closer = ")" if text[i] == "(" else text[i]
        i += 1
        while i < limit and text[i] != closer:
            if _BLANK_LINE_AFTER.match(text, i):
                return None
            i += 2 if text[i] == "\\" else 1
        if i >= limit:
            return None
        i = _skip_spaces(text, i + 1, limit)
    return i + 1 if i < limit and text[i] == ")" else None


def _link_end(text: str, open_paren: int) -> int:
    """Past the ")" that closes the link destination opened at ``open_paren``.

    As CommonMark reads it; failing that (a lax renderer may still see a link), the balanced
    ")" in the same paragraph; failing that, the end of the line. Never further than the window.
    """
    limit = min(len(text), open_paren + _LINK_WINDOW)
    end = _commonmark_link_end(text, open_paren, limit)
    if end is not None:
        return end
    depth = 0
    i = open_paren
    while i < limit and not _BLANK_LINE_AFTER.match(text, i):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    line_end = text.find("\n", open_paren, limit)
    return limit if line_end < 0 else line_end


def _bracket_pairs(text: str) -> dict[int, int]:
    """For each "]" the "[" it closes, within a paragraph (escaped brackets do not count)."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for match in _BRACKET_OR_BLANK_LINE.finditer(text):
        found = match.group()
        if found == "[":
            opened.append(match.start())
        elif found == "]":
            if opened:
                pairs[match.start()] = opened.pop()
        elif found[0] != "\\":
            opened.clear()  # a blank line: no link text runs across it
    return pairs


def _url_after_is_allowed(text: str, open_paren: int) -> bool:
    """Whether the URL after a "(" is allowed, looking no further than a scheme can be spelt
    (or than a lesson picture's reference, whole)."""
    picture = _IMAGE_KEY.match(text, open_paren + 1)
    if picture and text[picture.end() : picture.end() + 1] == ")":
        return True
    spelling = _SCHEME_SPELLING.match(text, open_paren + 1)
    end = spelling.end() + 1 if spelling else open_paren + 2
    return url_is_allowed(_destination(text[open_paren + 1 : end]))


def _drop_dangerous_inline_links(text: str) -> str:
    """Inline links and images whose URL is not allowed become their text (an image its alt).

    Found from their "](" rather than by a pattern for the whole link, so that link text holding
    brackets or line breaks, and URLs holding nested parentheses, are all found. Removing a link
    deletes its "[" (and "!") and its "](…)": the text is left, and links inside it are handled
    on their own.
    """
    deletions: list[tuple[int, int]] = []
    pairs: dict[int, int] | None = None
    start = 0
    while (close := text.find("](", start)) >= 0:
        open_paren = close + 1
        if _url_after_is_allowed(text, open_paren):
            start = close + 2
            continue
        end = _link_end(text, open_paren)
        if pairs is None:
            pairs = _bracket_pairs(text)
        opening = pairs.get(close)
        if opening is None or _is_escaped(text, close):
            # Not link text a renderer would see, but the URL goes all the same.
            deletions.append((open_paren, end))
        else:
            bang = opening > 0 and text[opening - 1] == "!" and not _is_escaped(text, opening - 1)
            deletions.append((opening - 1 if bang else opening, opening + 1))
            deletions.append((close, end))
        start = end
    if not deletions:
        return text
    kept: list[str] = []
    position = 0
    for begin, finish in sorted(deletions):
        if begin > position:
            kept.append(text[position:begin])
        position = max(position, finish)
    kept.append(text[position:])
    return "".join(kept)


def _drop_dangerous_links(text: str) -> str:
    def reference(match: re.Match[str]) -> str:
        rest = re.sub(r"[\t\r\n]", "", match.group("rest")).strip(" ")
        url = _destination(rest)
        if url_is_allowed(url):
            return match.group(0)
        after = rest[len(url) + (2 if rest.startswith("<") else 0) :].strip()
        if after and after[0] not in "\"'(":
            return match.group(0)  # words after the URL: prose with a colon, not a definition
        return ""

    def autolink(match: re.Match[str]) -> str:
        return match.group(0) if url_is_allowed(match.group("url")) else ""

    text = _drop_dangerous_inline_links(text)
    text = _REFERENCE_DEF.sub(reference, text)
    return _AUTOLINK.sub(autolink, text)


def _clean_once(text: str) -> str:
    lines = text.split("\n")
    for start, end in sorted(_html_line_ranges(text), reverse=True):
        fragment = "\n".join(lines[start:end])
        lines[start:end] = _sanitize_html_fragment(fragment).split("\n")
    return _drop_dangerous_links("\n".join(lines))


def clean_markdown(text: str) -> str:
    """Markdown safe to store: raw HTML sanitised, links with other schemes removed.

    Text without raw HTML or links passes through unchanged, character for character
    (typographic apostrophes and non-breaking spaces included).
    """
    for _pass in range(_MAX_CLEANING_PASSES):
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


# A lesson's picture, as an imported document left it: ``![alt](image:<sha256>)``. Served at
# IMAGE_PATH (elearn/urls.py, outside the language prefixes: one address whatever the language).
_IMAGE_REFERENCE = re.compile(r"\]\(image:([0-9a-f]{64})\)")
IMAGE_PATH = "/images/{key}/"


def image_path(key: str) -> str:
    return IMAGE_PATH.format(key=key)


def render_markdown(text: str) -> str:
    """HTML for display: rendered from Markdown, then sanitised. The caller may mark it safe."""
    text = _IMAGE_REFERENCE.sub(lambda found: f"]({image_path(found.group(1))})", text)
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


# Private-use characters: never meaningful in a lesson, kept as text by Markdown and nh3.
_PASSAGE_OPEN = "\ue000"
_PASSAGE_CLOSE = "\ue001"
_PASSAGE_SENTINEL = re.compile("([\ue000\ue001])")
# After nh3, "<" and ">" only ever delimit tags: it escapes them in text and attribute values.
_SANITISED_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(/?)([a-z0-9]+)")
# Elements a <mark> may contain (HTML's phrasing content, among the tags the sanitiser keeps).
_PHRASING = frozenset(
    {"a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd",
     "mark", "q", "s", "small", "span", "strong", "sub", "sup", "u"}
)  # fmt: skip
_MARK_OPEN = '<mark id="passage" tabindex="-1">'


def _one_mark_fits(tags: list[str]) -> bool:
    """Whether the tags between the sentinels are inline and balanced: one <mark> can hold them."""
    stack: list[str] = []
    for tag in tags:
        match = _TAG_NAME.match(tag)
        if match is None or match.group(2) not in _PHRASING:
            return False
        closing, name = match.groups()
        if closing:
            if not stack or stack.pop() != name:
                return False
        elif name not in {"br", "img"}:
            stack.append(name)
    return not stack


def render_markdown_with_passage(text: str, *, start: int, end: int) -> str | None:
    """Like ``render_markdown``, with ``text[start:end]`` wrapped in ``<mark id="passage">``.

    Sentinels mark the passage in the Markdown, which is rendered and sanitised as usual; the
    marks replace them afterwards, so the sanitiser never has to let an id through. When the
    passage crosses the edge of an element (it starts inside emphasis and ends outside it, or
    runs over two list items), each run of its text gets a <mark> of its own, only the first
    one with the id, so that the HTML stays well nested. None when the passage did not come
    through as text (its end fell inside a link's URL, say): then nothing is highlighted.
    """
    if not 0 <= start < end <= len(text):
        return None
    text = text.replace(_PASSAGE_OPEN, "\ufffd").replace(_PASSAGE_CLOSE, "\ufffd")
    marked = text[:start] + _PASSAGE_OPEN + text[start:end] + _PASSAGE_CLOSE + text[end:]
    pieces = _SANITISED_TAG.split(render_markdown(marked))
    texts = "".join(pieces[0::2])
    if texts.count(_PASSAGE_OPEN) != 1 or texts.count(_PASSAGE_CLOSE) != 1:
        return None
    if texts.index(_PASSAGE_OPEN) > texts.index(_PASSAGE_CLOSE):
        return None
    rendered = "".join(pieces)
    opening, closing = rendered.index(_PASSAGE_OPEN), rendered.index(_PASSAGE_CLOSE)
    if _one_mark_fits(_SANITISED_TAG.findall(rendered[opening:closing])):
        return (
            rendered.replace(_PASSAGE_OPEN, _MARK_OPEN, 1)
            .replace(_PASSAGE_CLOSE, "</mark>", 1)
            .replace(_PASSAGE_OPEN, "")
            .replace(_PASSAGE_CLOSE, "")
        )
    out: list[str] = []
    inside = False
    marks = 0
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            out.append(piece)
            continue
        for segment in _PASSAGE_SENTINEL.split(piece):
            if segment in {_PASSAGE_OPEN, _PASSAGE_CLOSE}:
                inside = segment == _PASSAGE_OPEN
            elif inside and segment.strip():
                out.append(f"{'<mark>' if marks else _MARK_OPEN}{segment}</mark>")
                marks += 1
            else:
                out.append(segment)
    return "".join(out) if marks else None
