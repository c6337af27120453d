"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3, several hosts) over the local disk.

    .venv/bin/python bench/media.py      (part of make bench)

One run, in-process, SQLite, a published course, and a SeaweedFS of the bench's own
(`weed mini`, demo/objectstore.py) on this machine: the bucket's cost without a network
between the hosts, which a real deployment adds (a few tenths of a millisecond to a few
milliseconds a request on a LAN or at a provider). Medians of several runs, each measured
against the same thing on the local disk:

- a lesson's picture served by the site (GET /images/<key>/, the access check and the file
  streamed through courses/system/media.py), for the picture of the demo's size;
- a certificate's PDF stored as the worker stores it (exists, save: certificate_deliver), for
  a file of a certificate's size.

It asserts nothing of the rates; it fails if a file served or stored is not the one expected.
Environment: BENCH_MEDIA_RUNS (200).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_MEDIA_RUNS", "200"))
PDF_BYTES = 60 * 1024  # a certificate's two pages with their QR code: 50-70 KB


def median_ms(run: Callable[[], object]) -> float:
    from bench.harness import median_ms as median

    run()  # warm: connections open, caches filled
    return median(run, runs=RUNS)


def main() -> int:
    from demo.objectstore import ObjectStore, ObjectStoreError

    with tempfile.TemporaryDirectory(prefix="elearn-bench-media-") as tmp:
        os.environ.update(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'db.sqlite3'}",
            VAR_DIR=tmp,
            MEDIA_ROOT=str(Path(tmp) / "media"),
            STATIC_ROOT=str(Path(tmp) / "static"),
            CACHE_URL="locmemcache://bench",
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")
        (Path(tmp) / "static").mkdir()
        store = ObjectStore(Path(tmp) / "seaweedfs")
        try:
            store.start()
        except ObjectStoreError as error:
            print(f"bench/media.py: {error}", file=sys.stderr)
            return 1
        try:
            import django

            django.setup()
            return measure(store)
        finally:
            store.stop()


def measure(store) -> int:  # type: ignore[no-untyped-def]
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.core.management import call_command
    from django.test import Client, override_settings
    from PIL import Image

    from bench.harness import BenchError
    from courses.authoring.services import course_picture_add
    from courses.models import Course
    from elearn.storage import media_storage

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    call_command("migrate", verbosity=0)
    course = Course.objects.create(title="Cytokines", slug="cytokines", is_published=True)
    s3 = {**settings.STORAGES, "default": media_storage(store.environ(store.bucket_new()))}
    client = Client()
    pdf = os.urandom(PDF_BYTES)
    results: dict[str, dict[str, float]] = {}
    for where, storages_setting in (("disk", settings.STORAGES), ("bucket", s3)):
        with override_settings(STORAGES=storages_setting):
            buffer = io.BytesIO()
            # A photo-like picture (noise does not compress): about the demo's size once
            # re-encoded, and another one in each place so that each is stored there.
            Image.effect_noise((640, 400), 24 if where == "disk" else 25).convert("RGB").save(
                buffer, format="JPEG", quality=85
            )
            image = course_picture_add(course=course, data=buffer.getvalue(), alt="Photo")
            stored = image.file.read()
            image.file.close()
            url = f"/images/{image.key}/"

            def serve(url: str = url, stored: bytes = stored) -> None:
                response = client.get(url)
                if response.status_code != 200 or b"".join(response.streaming_content) != stored:
                    raise BenchError(f"GET {url} did not serve the stored picture")

            storage = storages["default"]

            def store_pdf(storage=storage) -> None:  # type: ignore[no-untyped-def]
                name = "certificates/BENCH.pdf"
                if storage.exists(name):
                    storage.delete(name)
                if storage.save(name, ContentFile(pdf)) != name:
                    raise BenchError("the PDF was stored under another name")

            results[where] = {
                "picture": median_ms(serve),
                "pdf": median_ms(store_pdf),
                "size": len(stored) / 1024,
            }
    disk, bucket = results["disk"], results["bucket"]
    print(f"Media on the local disk and in a SeaweedFS bucket, in-process, median of {RUNS} runs.")
    print(f"{'':<44}{'disk ms':>9}{'bucket ms':>11}{'× disk':>8}")
    print(
        f"{'picture served (' + format(bucket['size'], '.0f') + ' KB, GET /images/<key>/)':<44}"
        f"{disk['picture']:>9.2f}{bucket['picture']:>11.2f}"
        f"{bucket['picture'] / disk['picture']:>8.2f}"
    )
    print(
        f"{'certificate PDF stored (' + str(PDF_BYTES // 1024) + ' KB, exists + save)':<44}"
        f"{disk['pdf']:>9.2f}{bucket['pdf']:>11.2f}{bucket['pdf'] / disk['pdf']:>8.2f}"
    )
    print("× disk: the bucket's time over the local disk's, same run (1.0 would cost nothing).")
    from django.db import connections

    connections.close_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
