"""Word and LibreOffice documents are zip archives: checked before anything is extracted.

A zip bomb (a few kilobytes that inflate to gigabytes, or thousands of entries) is refused from
its central directory alone: the entries' count, their declared uncompressed sizes, and each
entry's compression ratio. Reading then goes through ``read_entry``, which stops at the
declared size even if an entry lies about it. Pure: no Django models.
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from .base import DocumentError

# A course document holds a few dozen entries (XML parts, images); thousands are an attack.
MAX_ENTRIES = 2000
# Everything inflated: text and images of a long document fit well below this.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
# XML compresses about 10:1, images hardly at all; 100:1 on a large entry is a bomb.
MAX_RATIO = 100
_RATIO_FROM = 1024 * 1024  # small entries may compress as they like


def zip_opened(data: bytes, *, kind: str) -> zipfile.ZipFile:
    """The archive, once its directory shows nothing dangerous; ``kind`` names the format in
    the refusal ("Word", "LibreOffice")."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise DocumentError(
            _("this is not a %(kind)s document: the file is not a valid zip archive")
            % {"kind": kind},
            code="not_zip",
        ) from error
    if len(entries) > MAX_ENTRIES:
        raise DocumentError(
            _("refused: the archive holds %(count)d entries (the limit is %(limit)d)")
            % {"count": len(entries), "limit": MAX_ENTRIES},
            code="zip_bomb",
        )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED:
        raise DocumentError(
            _("refused: the archive would inflate to %(size)d MB (the limit is %(limit)d MB)")
            % {"size": total // (1024 * 1024), "limit": MAX_UNCOMPRESSED // (1024 * 1024)},
            code="zip_bomb",
        )
    for entry in entries:
        if entry.file_size > _RATIO_FROM and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise DocumentError(
                _("refused: an entry of the archive inflates %(ratio)d times (a zip bomb)")
                % {"ratio": entry.file_size // max(entry.compress_size, 1)},
                code="zip_bomb",
            )
    return archive


def read_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    """One entry's bytes, never more than its declared size (a lying header is a bomb)."""
    info = archive.getinfo(name)
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise DocumentError(
            _("refused: an entry of the archive is larger than it declares (a zip bomb)"),
            code="zip_bomb",
        )
    return data
