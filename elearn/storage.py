"""Where media files live, from the environment: the local disk, or an S3-compatible bucket.

Read by the settings (base.py) and by the tests that point a process at an object store, so
that both build the same configuration from the same variable names (docs/deployment.md,
"Several hosts").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FILESYSTEM = "filesystem"
S3 = "s3"
# How long an address signed for a private object stays valid (a link in the admin, say):
# minutes, so that a copied or logged URL soon opens nothing.
DEFAULT_URL_EXPIRES = 300


def media_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """STORAGES["default"] for MEDIA_STORAGE (filesystem, the default; or s3).

    The bucket is private: nothing in it carries a public-read ACL, and the site serves every
    file itself after its access check (courses/system/media.py). Timeouts are short so that a
    request or a task waiting on a storage that is down fails in seconds (the task is retried)
    instead of holding a worker.
    """
    kind = environ.get("MEDIA_STORAGE", FILESYSTEM).strip().lower() or FILESYSTEM
    if kind != S3:
        # An unknown value is reported by the system check (courses.E006), not guessed at.
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    from boto3.s3.transfer import TransferConfig
    from botocore.config import Config

    options: dict[str, Any] = {
        "bucket_name": environ.get("S3_BUCKET", ""),
        "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
        "region_name": environ.get("S3_REGION") or "us-east-1",
        "location": environ.get("S3_PREFIX", "").strip("/"),
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,
        "querystring_expire": int(environ.get("S3_URL_EXPIRES") or DEFAULT_URL_EXPIRES),
        # As on the local disk: a name already taken gets another, never overwritten unseen.
        "file_overwrite": False,
        # Given a client_config, django-storages takes the addressing style and the signature
        # version from it alone.
        "client_config": Config(
            s3={"addressing_style": environ.get("S3_ADDRESSING_STYLE") or "path"},
            signature_version="s3v4",
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        # Media are small (a PDF of 60 KB, pictures of a few hundred): one request in this
        # thread beats s3transfer's pool of threads, which cost more to start than they save
        # (bench/media.py: a picture served in 8.5 ms with them).
        "transfer_config": TransferConfig(use_threads=False),
    }
    # Without keys, boto3's own chain (an instance role, AWS_* variables) supplies them.
    if environ.get("S3_ACCESS_KEY_ID"):
        options["access_key"] = environ["S3_ACCESS_KEY_ID"]
        options["secret_key"] = environ.get("S3_SECRET_ACCESS_KEY", "")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
