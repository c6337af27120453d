"""Media files (certificates' PDFs, lesson pictures, covers, uploaded documents) as the site
serves and stores them, on the local disk or in an S3-compatible bucket (elearn/storage.py).

Every file is served here, by the site, after the caller's own access check: the bucket stays
private, so no address of an object is ever given out. A file that is gone is a 404 that says
so; a storage that does not answer is a 503 that says to try again (never a 500). Writes
(and the worker's reads) go through ``storage_guard``: an outage becomes
``StorageUnavailable``, which a view shows as a form error, keeping nothing, and which puts an
import back in the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

log = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """The media storage did not answer; what was being stored was not kept."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Files cannot be stored at the moment: nothing was saved. "
                "Please try again in a few minutes."
            )
        )


# What a storage raises when it cannot be reached: the disk's OSError, and boto's errors (a
# refused connection, a timeout, a 5xx) when media are in a bucket.
STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, BotoCoreError, ClientError)


@contextmanager
def storage_guard() -> Iterator[None]:
    """Around a storage call: an outage is StorageUnavailable (logged). A file that is not
    there is not an outage: FileNotFoundError goes through."""
    try:
        yield
    except FileNotFoundError:
        raise
    except STORAGE_ERRORS as error:
        log.warning("media storage unavailable: %s: %s", type(error).__name__, error)
        raise StorageUnavailable from error


def media_response(
    request: HttpRequest,
    name: str,
    *,
    content_type: str,
    filename: str | None = None,
    missing: str,
    storage: Storage | None = None,
) -> HttpResponseBase:
    """The stored file ``name``, streamed (the caller has checked who may have it).

    ``missing`` is what the 404 says when the file is not there."""
    try:
        with storage_guard():
            handle, size = _opened(storage or default_storage, name)
    except FileNotFoundError:
        log.warning("media file missing: %s", name)
        return render(request, "404.html", {"message": missing}, status=404)
    except StorageUnavailable:
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
    served = FileResponse(handle, content_type=content_type, filename=filename or "")
    if size is not None:
        served["Content-Length"] = str(size)
    return served


def _opened(storage: Storage, name: str) -> tuple[IO[bytes], int | None]:
    """The stored file, open for reading, and its size when the storage says it.

    From a bucket, one GET whose body is streamed as it arrives: django-storages' open() sends
    a HEAD first, builds a boto3 resource for the object and downloads it whole before the
    first byte goes out (bench/media.py: 7.4 ms a 109 KB picture, against 1.8 ms for a GET).
    """
    if not isinstance(storage, S3Storage):
        return storage.open(name, "rb"), None
    key = f"{storage.location}/{name}" if storage.location else name
    try:
        got = storage.connection.meta.client.get_object(Bucket=storage.bucket_name, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
            raise FileNotFoundError(name) from error
        raise
    return got["Body"], got.get("ContentLength")
