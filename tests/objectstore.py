"""A real S3-compatible server for the tests that need one: SeaweedFS (demo/objectstore.py).

One server per test session, started by the first test that asks for it; the run fails
loudly when it cannot start (it never skips). Each test gets a bucket of its own
(``s3_media``), so tests never see each other's files. A test may stop and restart the
server (the outage tests); the next test restarts it if one left it stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from demo.objectstore import ObjectStore, ObjectStoreError
from elearn.storage import media_storage

__all__ = ["Bucket", "ObjectStore", "object_store", "s3_media"]


def started(store: ObjectStore) -> ObjectStore:
    try:
        return store.start()
    except ObjectStoreError as error:
        pytest.exit(f"{error}\nThe object-storage tests need it and do not skip.", returncode=3)


@dataclass(frozen=True)
class Bucket:
    """A test's bucket, and the environment that points a process's media at it."""

    store: ObjectStore
    name: str
    environ: dict[str, str]

    def object_keys(self) -> list[str]:
        listed = self.store.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.store.client().get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def object_store(tmp_path_factory) -> Iterator[ObjectStore]:
    store = started(ObjectStore(tmp_path_factory.mktemp("seaweedfs")))
    yield store
    store.stop()


@pytest.fixture
def s3_media(object_store: ObjectStore, settings) -> Bucket:
    """This test's media in a bucket of its own on the suite's SeaweedFS, in this process (its
    settings) and for the processes it starts (``environ``)."""
    if not object_store.running:  # a previous test stopped it and failed before restarting
        object_store.process = None
        started(object_store)
    name = object_store.bucket_new()
    environ = object_store.environ(name)
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(environ)}
    return Bucket(object_store, name, environ)
