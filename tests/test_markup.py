"""Lesson Markdown: cleaned at import, rendered and sanitised at display (pure: no database)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from courses.markup import clean_markdown, render_markdown, strip_tags, url_is_allowed
from tests.conftest import SEED_000, SEED_001

SCRIPT_LINKS = {
    "inline": "Voir [la fiche](javascript:alert(1)) avant le soin.",
    "inline-title": 'Voir [la fiche](javascript:alert(1) "Fiche") avant le soin.',
    "inline-angle": "Voir [la fiche](<javascript:alert(1)>) avant le soin.",
    "inline-nested-parentheses": "Voir [la fiche](javascript:alert((1))) avant le soin.",
    "inline-text-with-brackets": "Voir [la [fiche] IDE](javascript:alert(1)) avant le soin.",
    "inline-text-over-two-lines": "Voir [la\nfiche](javascript:alert(1)) avant le soin.",
    "image-inside-link": "Voir [![fiche](https://example.org/f.png)](javascript:alert(1)).",
    "reference": "Voir [la fiche][f] avant le soin.\n\n[f]: javascript:alert(1)",
    "reference-url-on-next-line": "Voir [la fiche][f].\n\n[f]:\n  javascript:alert(1)",
    "reference-angle": 'Voir [la fiche][f].\n\n[f]: <javascript:alert(1)> "Fiche"',
    "autolink": "Voir la fiche <javascript:alert(1)> avant le soin.",
    "raw-a-href": 'Voir <a href="javascript:alert(1)">la fiche</a> avant le soin.',
    "mixed-case": "Voir [la fiche](JaVaScRiPt:alert(1)) avant le soin.",
    "mixed-case-raw": 'Voir <a href="JaVaScRiPt:alert(1)">la fiche</a> avant le soin.',
    "tab-inside": "Voir [la fiche](java\tscript:alert(1)) avant le soin.",
    "tab-inside-raw": 'Voir <a href="java\tscript:alert(1)">la fiche</a> avant le soin.',
    "newline-inside": "Voir [la fiche](java\nscript:alert(1)) avant le soin.",
    "entity-colon": "Voir [la fiche](javascript&#58;alert(1)) avant le soin.",
    "entity-colon-named": "Voir [la fiche](javascript&colon;alert(1)) avant le soin.",
    "entity-colon-raw": 'Voir <a href="javascript&#58;alert(1)">la fiche</a> avant le soin.',
    "entity-letter": "Voir [la fiche](&#106;avascript:alert(1)) avant le soin.",
    "backslash-escaped-colon": "Voir [la fiche](javascript\\:alert(1)) avant le soin.",
    "vbscript": "Voir [la fiche](vbscript:msgbox(1)) avant le soin.",
}
DATA_LINKS = {
    "inline": "Voir [la fiche](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).",
    "image": "Schéma : ![schéma](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "reference": "Voir [la fiche][d].\n\n[d]: data:text/html,<b>x</b>",
    "autolink": "Voir <data:text/html,bonjour> avant le soin.",
    "raw-a-href": '<a href="data:text/html,bonjour">la fiche</a>',
    "raw-img-src": '<img src="data:image/png;base64,iVBORw0KGgo=" alt="schéma">',
}
SCRIPT_HTML = {
    "script-inline": "Avant <script>alert(1)</script> après.",
    "script-block": "Avant.\n\n<script>\nalert(1)\n</script>\n\nAprès.",
    "img-onerror": "Avant <img src=x onerror=alert(1)> après.",
    "img-onerror-block": '<img src="x" onerror="alert(1)">',
    "svg-onload": "<svg onload=alert(1)></svg>",
    "iframe": '<iframe src="https://example.org"></iframe>',
    "style-attribute": '<p style="background:url(javascript:alert(1))">texte</p>',
    "a-onclick": '<a href="https://example.org" onclick="alert(1)">lien</a>',
}

FRENCH = (
    "# L’accueil du patient\n\n"
    "L’IDE se présente\u00a0: nom, fonction et rôle dans la prise en charge.\n\n"
    "Pourquoi\u202f? Pour instaurer la confiance\u00a0! « Bonjour, je suis votre infirmière. »\n\n"
    "- PA < 90 mmHg et T° > 38,5 °C : prévenir le médecin ;\n"
    "- R&D, soins & confort — 2 × par jour.\n\n"
    "Les *transmissions* sont **ciblées** (DAR) ; voir `protocole_2024`.\n"
)


class _Elements(HTMLParser):
    """Every element and attribute of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


def elements(fragment: str) -> _Elements:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser


def assert_safe_html(rendered: str) -> None:
    """No script or frame element, no event handler or style, only allowed URLs."""
    found = elements(rendered)
    assert not {"script", "iframe", "svg", "object", "embed", "style"} & set(found.tags)
    for _tag, name, value in found.attributes:
        assert not name.startswith("on")
        assert name != "style"
        if name in {"href", "src"}:
            url = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
            scheme = re.match(r"([a-z][a-z0-9+.-]*):", url)
            assert scheme is None or scheme.group(1) in {"http", "https", "mailto"}, value


def assert_no_trace(text: str, *needles: str) -> None:
    lowered = text.lower().replace("\t", "").replace("\n", "")
    for needle in needles:
        assert needle not in lowered


# --- Import-time cleaning -----------------------------------------------------------------------


@pytest.mark.parametrize("text", SCRIPT_LINKS.values(), ids=SCRIPT_LINKS.keys())
def test_script_links_are_removed_at_import(text):
    """Every form of javascript: link is gone from the stored text; the words around it stay."""
    cleaned = clean_markdown(text)

    assert_no_trace(cleaned, "javascript", "vbscript", "&#58;", "&colon;", "alert", "msgbox")
    assert cleaned.startswith("Voir ")
    assert "fiche" in cleaned


@pytest.mark.parametrize("text", DATA_LINKS.values(), ids=DATA_LINKS.keys())
def test_data_links_are_removed_at_import(text):
    """data: URLs (links and images) are gone from the stored text."""
    assert_no_trace(clean_markdown(text), "data:", "base64")


@pytest.mark.parametrize("text", SCRIPT_HTML.values(), ids=SCRIPT_HTML.keys())
def test_script_html_is_removed_at_import(text):
    """<script>, event handlers, frames and style attributes are gone from the stored text."""
    cleaned = clean_markdown(text)

    assert_no_trace(cleaned, "<script", "alert", "onerror", "onload", "onclick", "iframe", "style")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/",
        "HTTP://example.org/",
        "mailto:equipe@example.org",
        "/cours/1/",
        "#surveillance",
        "fiche.html",
        "page?heure=10:30",
    ],
)
def test_allowed_urls(url):
    """http, https, mailto and relative URLs (a colon after the path start is harmless)."""
    assert url_is_allowed(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "javascript&#58;alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript\\:alert(1)",
        "\u200bjavascript:alert(1)",
        "data:text/html,x",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/",
    ],
)
def test_refused_urls(url):
    """Every other scheme, however spelt or encoded, is refused."""
    assert not url_is_allowed(url)


def test_inline_link_becomes_its_text():
    """A removed link leaves its words, without brackets or URL."""
    assert clean_markdown("Voir [la fiche](javascript:alert(1)) avant.") == "Voir la fiche avant."
    assert clean_markdown("Voir [la [fiche]](javascript:alert(1)).") == "Voir la [fiche]."
    assert clean_markdown("Schéma : ![le schéma](data:image/png;base64,AAAA)") == (
        "Schéma : le schéma"
    )


def test_image_inside_a_removed_link_is_kept():
    """An allowed image wrapped in a script link keeps the image, loses the link."""
    cleaned = clean_markdown("[![fiche](https://example.org/f.png)](javascript:alert(1))")

    assert cleaned == "![fiche](https://example.org/f.png)"


def test_script_tag_is_removed_with_its_content():
    """A script element goes whole: nothing of its code is left as text."""
    assert clean_markdown("Avant <script>alert(1)</script> après.") == "Avant  après."


def test_event_handler_is_removed_and_the_image_kept():
    """<img onerror> keeps the image, loses the handler."""
    assert clean_markdown("<img src=x onerror=alert(1)>") == '<img src="x">'


def test_raw_link_with_script_url_keeps_its_text():
    """<a href="javascript:…"> keeps its text, loses its URL."""
    assert clean_markdown('<a href="javascript:alert(1)">la fiche</a>') == "<a>la fiche</a>"


def test_removed_reference_definition_leaves_the_next_paragraph():
    """Dropping a script reference definition does not take the following text with it."""
    text = "Voir [la fiche][f].\n\n[f]: javascript:alert(1)\n\nLa surveillance continue."

    cleaned = clean_markdown(text)

    assert "javascript" not in cleaned
    assert cleaned.startswith("Voir [la fiche][f].")
    assert cleaned.endswith("La surveillance continue.")


def test_definition_like_prose_with_a_colon_is_kept():
    """ "[Note]:" followed by prose is not a link definition and stays as written."""
    text = "[Note]:\nVoir: la fiche du service."

    assert clean_markdown(text) == text


def test_link_rebuilt_by_cleaning_is_removed_too():
    """Removing an autolink cannot join "[a]" and "(javascript:…)" into a new link."""
    cleaned = clean_markdown("[a]<xy:z>(javascript:alert(1))")

    assert "javascript" not in cleaned
    assert_safe_html(render_markdown(cleaned))


@pytest.mark.parametrize(
    "text",
    [*SCRIPT_LINKS.values(), *DATA_LINKS.values(), *SCRIPT_HTML.values()],
)
def test_cleaning_is_idempotent(text):
    """Cleaning stored text again changes nothing."""
    cleaned = clean_markdown(text)

    assert clean_markdown(cleaned) == cleaned


@pytest.mark.parametrize(
    "text",
    [
        "Voir [la fiche](https://example.org/fiche?x=1&y=2) avant.",
        "Voir [la fiche](http://example.org/fiche) avant.",
        "Écrire à [l’équipe](mailto:equipe@example.org).",
        "Voir <https://example.org/fiche> et <mailto:equipe@example.org>.",
        'Voir [la fiche][f].\n\n[f]: https://example.org/fiche "Fiche"',
        'Voir <a href="https://example.org/fiche">la fiche</a>.',
        "Voir [le module 2](/cours/soins/2/) et [plus bas](#surveillance).",
        "![schéma](https://example.org/schema.png)",
        "Voir [la fiche](https://fr.wikipedia.org/wiki/Cytokine_(biologie)) avant.",
    ],
)
def test_http_https_mailto_and_relative_links_are_kept(text):
    """Allowed links pass the import unchanged."""
    assert clean_markdown(text) == text


def test_allowed_links_are_rendered_as_links():
    """http, https and mailto URLs come out as href attributes."""
    rendered = render_markdown(
        "[a](https://example.org/a) [b](http://example.org/b) [c](mailto:equipe@example.org)"
    )

    hrefs = [value for _tag, name, value in elements(rendered).attributes if name == "href"]
    assert hrefs == ["https://example.org/a", "http://example.org/b", "mailto:equipe@example.org"]


def test_plain_french_text_passes_unchanged_byte_for_byte():
    """Apostrophes, non-breaking spaces, guillemets, "<", ">" and "&" in text are left alone."""
    cleaned = clean_markdown(FRENCH)

    assert cleaned == FRENCH
    assert cleaned.encode() == FRENCH.encode()


@pytest.mark.parametrize("path", [SEED_000, SEED_001], ids=["000", "001"])
def test_real_documents_pass_unchanged(path):
    """The fixture documents hold no markup to remove: cleaning leaves them as they are."""
    text = path.read_text(encoding="utf-8")

    assert clean_markdown(text) == text


# --- Display-time rendering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [*SCRIPT_LINKS.values(), *DATA_LINKS.values(), *SCRIPT_HTML.values()],
)
def test_rendering_uncleaned_text_is_still_safe(text):
    """The display sanitiser stands on its own: even text that skipped the import cleaning
    renders without script, handlers or dangerous URLs."""
    assert_safe_html(render_markdown(text))


@pytest.mark.parametrize(
    "text",
    [*SCRIPT_LINKS.values(), *DATA_LINKS.values(), *SCRIPT_HTML.values()],
)
def test_rendered_cleaned_text_has_no_trace_of_the_attack(text):
    """What learners see of a cleaned text holds no script, handler, script or data URL."""
    rendered = render_markdown(clean_markdown(text))

    assert_safe_html(rendered)
    assert_no_trace(rendered, "javascript", "vbscript", "data:", "<script", "onerror", "alert")


def test_rendered_links_open_safely():
    """Links get rel="noopener noreferrer"."""
    rendered = render_markdown("[a](https://example.org/a)")

    assert elements(rendered).attributes == [
        ("a", "href", "https://example.org/a"),
        ("a", "rel", "noopener noreferrer"),
    ]


def test_french_text_renders_with_its_characters():
    """Rendering keeps ’, non-breaking spaces and escapes "<" and "&" as text."""
    rendered = render_markdown(FRENCH)

    assert "<h1>L’accueil du patient</h1>" in rendered
    assert "L’IDE se présente\u00a0: nom" in rendered or "L’IDE se présente&nbsp;: nom" in rendered
    assert "PA &lt; 90 mmHg" in rendered
    assert "R&amp;D" in rendered
    assert "<em>transmissions</em>" in rendered


def test_strip_tags_gives_plain_text():
    """Titles are plain text: elements go, entities are decoded."""
    assert strip_tags("<b>Soins</b> &amp; <script>alert(1)</script>confort") == "Soins & confort"


# --- A quiz's source passage, highlighted -------------------------------------------------------


def passage(text: str, sentence: str) -> str | None:
    from courses.markup import render_markdown_with_passage

    start = text.index(sentence)
    return render_markdown_with_passage(text, start=start, end=start + len(sentence))


def test_passage_is_wrapped_in_one_mark_with_its_id():
    text = "Avant. La **température** est surveillée. Après."
    rendered = passage(text, "La **température** est surveillée.")
    assert rendered == (
        '<p>Avant. <mark id="passage" tabindex="-1">La <strong>température</strong> est '
        "surveillée.</mark> Après.</p>\n"
    )


def test_passage_across_an_element_edge_stays_well_nested():
    """A passage that starts inside emphasis and ends outside gets one mark per run of text."""
    text = "**Important. La température** est surveillée. Fin."
    rendered = passage(text, "La température** est surveillée.")
    assert rendered == (
        '<p><strong>Important. <mark id="passage" tabindex="-1">La température</mark></strong>'
        "<mark> est surveillée.</mark> Fin.</p>\n"
    )
    assert rendered.count('id="passage"') == 1


def test_passage_over_two_list_items():
    rendered = passage("- un deux\n- trois quatre\n", "deux\n- trois")
    assert '<li>un <mark id="passage" tabindex="-1">deux</mark></li>' in rendered
    assert "<li><mark>trois</mark> quatre</li>" in rendered


def test_passage_ending_inside_a_url_is_not_highlighted():
    assert (
        passage("Voir [la fiche](https://example.org/fiche) ici.", "Voir [la fiche](https://ex")
        is None
    )


def test_passage_rendering_is_sanitised_as_usual():
    """The text around and inside the passage goes through the sanitiser: no script survives."""
    text = 'Avant <img src=x onerror=alert(1)>. La <b onclick="x()">température</b> monte.'
    rendered = passage(text, 'La <b onclick="x()">température</b> monte.')
    assert_safe_html(rendered)
    assert "onclick" not in rendered
    assert "onerror" not in rendered
    assert '<mark id="passage" tabindex="-1">' in rendered


def test_sentinels_already_in_the_text_do_not_confuse_the_passage():
    text = "A\ue000b. La température monte.\ue001 Fin."
    rendered = passage(text, "La température monte.")
    assert '<mark id="passage" tabindex="-1">La température monte.</mark>' in rendered
    assert "\ue000" not in rendered
    assert "\ue001" not in rendered


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (0, 10_000)])
def test_offsets_outside_the_text_highlight_nothing(start, end):
    from courses.markup import render_markdown_with_passage

    assert render_markdown_with_passage("Un texte court.", start=start, end=end) is None
