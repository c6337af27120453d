"""Which importer reads which file."""

from __future__ import annotations

from pathlib import PurePath

from django.utils.translation import gettext as _

from .base import DocumentError, Importer, ParsedDocument
from .docx import DocxImporter
from .odt import OdtImporter
from .pdf import PdfImporter
from .plaintext import TextImporter
from .webpage import HtmlImporter

# One entry per format.
IMPORTERS: tuple[Importer, ...] = (
    TextImporter(),
    DocxImporter(),
    OdtImporter(),
    PdfImporter(),
    HtmlImporter(),
)


def supported_suffixes() -> list[str]:
    return [suffix for importer in IMPORTERS for suffix in importer.suffixes]


def importer_for(source: str) -> Importer:
    suffix = PurePath(source).suffix.lower()
    for importer in IMPORTERS:
        if suffix in importer.suffixes:
            return importer
    raise DocumentError(
        _("unsupported file type %(suffix)s (supported: %(supported)s)")
        % {
            "suffix": suffix or _("without extension"),
            "supported": ", ".join(supported_suffixes()),
        },
        code="unsupported",
    )


def check_size(size: int, *, max_bytes: int) -> None:
    if size > max_bytes:
        raise DocumentError(
            _("the file is too large (%(size)s bytes; the limit is %(limit)s bytes)")
            % {
                "size": f"{size:,}".replace(",", "\u202f"),
                "limit": f"{max_bytes:,}".replace(",", "\u202f"),
            },
            code="too_large",
        )


def limit_for(source: str, *, max_bytes: int, max_package_bytes: int | None = None) -> int:
    """The size limit of a file of this name: text's, or a packaged format's (Word,
    LibreOffice, PDF: their images and fonts weigh more than their text)."""
    importer = importer_for(source)
    if max_package_bytes is not None and getattr(importer, "binary", False):
        return max_package_bytes
    return max_bytes


def read_document(
    data: bytes, *, source: str, max_bytes: int, max_package_bytes: int | None = None
) -> ParsedDocument:
    """Parse one file's bytes with the importer for its name. Raises ``DocumentError``."""
    limit = limit_for(source, max_bytes=max_bytes, max_package_bytes=max_package_bytes)
    check_size(len(data), max_bytes=limit)
    return importer_for(source).read(data, source=source)
