"""Images from outside (a course cover, a document's pictures) checked and re-encoded with
Pillow: a real image of an accepted format and sane dimensions, turned upright, cut down to a
largest side, written again without its metadata (EXIF, GPS, XMP, comments). Pure: no ORM.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# A picture of more pixels than this is a decompression bomb, not a course illustration.
MAX_PIXELS = 40_000_000


class ImageRefused(ValueError):
    """Not an image we take: ``code`` says why (format, dimensions, unreadable)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Reencoded:
    data: bytes
    format: str  # "PNG" or "JPEG"
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return "image/png" if self.format == "PNG" else "image/jpeg"

    @property
    def extension(self) -> str:
        return "png" if self.format == "PNG" else "jpg"

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def reencoded(
    data: bytes,
    *,
    formats: frozenset[str],
    max_size: tuple[int, int],
    as_format: str | None = None,
    max_pixels: int = MAX_PIXELS,
) -> Reencoded:
    """``data`` as a new image fitting in ``max_size`` (width, height), in ``as_format`` or, by
    default, PNG for what may be transparent or drawn (PNG, GIF, WebP) and JPEG for photos.
    Raises ImageRefused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in formats:
                    raise ImageRefused("format")
                width, height = probe.size
                if width * height > max_pixels or not width or not height:
                    raise ImageRefused("dimensions")
                source_format = probe.format
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                upright = ImageOps.exif_transpose(image)
                target = as_format or ("JPEG" if source_format == "JPEG" else "PNG")
                upright = upright.convert("RGB" if target == "JPEG" else "RGBA")
    except ImageRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:  # fmt: skip
        raise ImageRefused("unreadable") from error
    upright.thumbnail(max_size)
    out = io.BytesIO()
    if target == "JPEG":
        upright.save(out, format="JPEG", quality=85, optimize=True)
    else:
        upright.save(out, format="PNG", optimize=True)
    return Reencoded(data=out.getvalue(), format=target, width=upright.width, height=upright.height)
