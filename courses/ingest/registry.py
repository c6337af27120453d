"""Which importer reads which file."""

from __future__ import annotations

from pathlib import PurePath

from django.utils.translation import gettext as _

from .base import DocumentError, Importer, ParsedDocument
from .plaintext import TextImporter

# One entry per format. Word, HTML and PDF importers join this list.
IMPORTERS: tuple[Importer, ...] = (TextImporter(),)


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


def read_document(data: bytes, *, source: str, max_bytes: int) -> ParsedDocument:
    """Parse one file's bytes with the importer for its name. Raises ``DocumentError``."""
    check_size(len(data), max_bytes=max_bytes)
    return importer_for(source).read(data, source=source)
