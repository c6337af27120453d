"""Small documents the tests make themselves, the same course text in every format: Word
(python-docx), LibreOffice (odfpy), PDF (ReportLab) and a saved web page.

COURSE is the text: a title, an introduction, two lessons; each builder writes it with the
format's own means (heading styles, outline levels, font sizes, HTML headings), so that the
importers' results can be compared with each other and with what the text says.
"""

from __future__ import annotations

import io

from PIL import Image

TITLE = "Surveillance du syndrome de libération de cytokines"
LESSONS = (
    (
        "Reconnaître les premiers signes",
        (
            "La fièvre est souvent le premier signe du syndrome de libération de cytokines "
            "après une immunothérapie par cellules CAR-T.",
            "L’infirmière mesure la température, la pression artérielle et la saturation en "
            "oxygène toutes les quatre heures pendant les premiers jours.",
        ),
    ),
    (
        "Alerter et traiter",
        (
            "Une hypotension qui ne répond pas au remplissage vasculaire impose d’alerter le "
            "médecin sans attendre.",
            "Le tocilizumab bloque le récepteur de l’interleukine 6 et fait céder la plupart "
            "des formes graves en quelques heures.",
        ),
    ),
)
SIGNS = ("fièvre", "hypotension", "hypoxie")
TABLE = (("Grade", "Signe"), ("1", "Fièvre isolée"), ("2", "Hypotension sensible au remplissage"))


def png(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- Word --------------------------------------------------------------------------------------


def docx(*, with_extras: bool = True) -> bytes:
    """The course in Word: Title style, Heading 1 lessons; with a list, a table and an image
    in the first lesson when ``with_extras``."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.add_paragraph(TITLE, style="Title")
    for number, (heading, paragraphs) in enumerate(LESSONS):
        document.add_heading(heading, level=1)
        for text in paragraphs:
            document.add_paragraph(text)
        if with_extras and number == 0:
            for sign in SIGNS:
                document.add_paragraph(sign, style="List Bullet")
            table = document.add_table(rows=len(TABLE), cols=2)
            for row, values in zip(table.rows, TABLE, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
            document.add_picture(io.BytesIO(png()), width=Cm(2))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- LibreOffice -------------------------------------------------------------------------------


def odt() -> bytes:
    """The course in OpenDocument: the Title paragraph style, outline level 1 headings."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style
    from odf.text import H, P

    document = OpenDocumentText()
    title_style = Style(name="Title", family="paragraph")
    document.styles.addElement(title_style)
    document.text.addElement(P(stylename=title_style, text=TITLE))
    for heading, paragraphs in LESSONS:
        document.text.addElement(H(outlinelevel=1, text=heading))
        for text in paragraphs:
            document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------


def pdf(*, hyphenate: bool = True, encrypt: str | None = None) -> bytes:
    """The course in a PDF of two pages: the title in 20 pt, the lessons' headings in bold
    14 pt, the text in 11 pt, a running header and "Page n / 2" at the bottom of each page;
    the first paragraph's "cytokines" cut at a line's end ("cyto-" / "kines")."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pages = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    width, height = A4

    def furniture(number: int) -> None:
        pages.setFont("Helvetica", 9)
        pages.drawString(72, height - 40, "Service d’hématologie — livret de formation")
        pages.drawString(width / 2, 30, f"Page {number} / 2")

    furniture(1)
    pages.setFont("Helvetica-Bold", 20)
    pages.drawString(72, height - 100, TITLE)
    y = height - 150
    for number, (heading, paragraphs) in enumerate(LESSONS):
        if number == 1:
            pages.showPage()
            furniture(2)
            y = height - 100
        pages.setFont("Helvetica-Bold", 14)
        pages.drawString(72, y, heading)
        y -= 30
        pages.setFont("Helvetica", 11)
        for index, text in enumerate(paragraphs):
            for line in _lines(text, hyphenate=hyphenate and number == 0 and index == 0):
                pages.drawString(72, y, line)
                y -= 15
            y -= 12
    pages.showPage()
    pages.save()
    return buffer.getvalue()


def _lines(text: str, *, hyphenate: bool, width: int = 70) -> list[str]:
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        if hyphenate and word == "cytokines" and not any("cyto-" in line for line in lines):
            lines.append(f"{current} cyto-".strip())
            current = "kines"
            continue
        if len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return lines


def scanned_pdf() -> bytes:
    """A page holding only a picture: no text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawImage(ImageReader(io.BytesIO(png(400, 300))), 72, 400, width=400, height=300)
    page.showPage()
    page.save()
    return buffer.getvalue()


# --- a saved web page ----------------------------------------------------------------------------


def html() -> bytes:
    """The course as a saved page of a hospital's site: navigation, header, a cookie banner,
    a sidebar and a footer around the article."""
    lessons = "".join(
        f"<h2>{heading}</h2>" + "".join(f"<p>{text}</p>" for text in paragraphs)
        for heading, paragraphs in LESSONS
    )
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{TITLE} | CHU Exemple</title>
<script>window.tracker = 1;</script><style>body {{ color: #333 }}</style></head>
<body>
<header class="site-header"><a href="/">CHU Exemple</a> — Espace soignants</header>
<nav class="menu"><ul><li><a href="/a">Accueil</a></li><li><a href="/b">Services</a></li>
<li><a href="/c">Formations</a></li><li><a href="/d">Contact</a></li></ul></nav>
<div id="cookie-banner" class="cookie-consent">Ce site utilise des cookies pour mesurer
l’audience. <button>Accepter</button> <button>Refuser</button></div>
<main><article class="post-content">
<h1>{TITLE}</h1>
{lessons}
</article></main>
<aside class="sidebar"><h3>Articles liés</h3><ul><li><a href="/x">Neutropénie</a></li></ul></aside>
<footer class="site-footer">© 2026 CHU Exemple — Mentions légales — Plan du site</footer>
</body></html>""".encode()


def links_only_html() -> bytes:
    return b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Plan du site</title></head>
<body><nav><ul><li><a href="/a">Accueil</a></li><li><a href="/b">Services</a></li></ul></nav>
<footer>Mentions l\xc3\xa9gales</footer></body></html>"""


def jpeg_with_exif(width: int = 60, height: int = 40) -> bytes:
    """A photo carrying EXIF metadata (the camera's make and a GPS block)."""
    image = Image.new("RGB", (width, height), (30, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "Appareil du service"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def docx_with_pictures(*pictures: tuple[bytes, str]) -> bytes:
    """A short Word course whose first lesson holds ``pictures`` ((bytes, description) each;
    an empty description: none)."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.add_paragraph(TITLE, style="Title")
    heading, paragraphs = LESSONS[0]
    document.add_heading(heading, level=1)
    document.add_paragraph(paragraphs[0])
    for data, description in pictures:
        shape = document.add_picture(io.BytesIO(data), width=Cm(2))
        if description:
            shape._inline.docPr.set("descr", description)
    document.add_paragraph(paragraphs[1])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def html_with_pictures(embedded: bytes) -> bytes:
    """A saved page whose article holds an embedded picture (data: URI, described) and a
    remote one (https)."""
    import base64

    source = base64.b64encode(embedded).decode()
    lessons = "".join(
        f"<h2>{heading}</h2>" + "".join(f"<p>{text}</p>" for text in paragraphs)
        for heading, paragraphs in LESSONS
    )
    return f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>{TITLE}</title></head><body><nav><a href="/">Accueil</a></nav><article>
<h1>{TITLE}</h1>
<p><img src="data:image/png;base64,{source}" alt="Courbe de température"></p>
<p><img src="https://cdn.example.org/schema.png" alt="Schéma distant"></p>
{lessons}
</article><footer>Mentions légales</footer></body></html>""".encode()


def odt_with_picture(data: bytes) -> bytes:
    """A short OpenDocument course whose lesson holds a picture."""
    from odf.draw import Frame
    from odf.draw import Image as Picture
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=TITLE))
    heading, paragraphs = LESSONS[0]
    document.text.addElement(H(outlinelevel=2, text=heading))
    document.text.addElement(P(text=paragraphs[0]))
    href = document.addPicture("courbe.png", "image/png", data)
    paragraph = P()
    frame = Frame(width="2cm", height="1.5cm", anchortype="as-char")
    frame.addElement(Picture(href=href))
    paragraph.addElement(frame)
    document.text.addElement(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
