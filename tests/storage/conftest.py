"""An S3-compatible server for the tests of object storage: moto's server mode, started by
the test suite itself on a free port of 127.0.0.1 (one server per test process, so each
pytest-xdist worker has its own), and the switch that puts a test's files in a bucket of its
own, configured as production is: by aps/settings.py reading the environment."""

import os
import runpy
import uuid
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import boto3
import pytest
from moto.server import ThreadedMotoServer

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "aps" / "settings.py"
REGION = "eu-west-3"
KEYS = {"AWS_ACCESS_KEY_ID": "aps-tests", "AWS_SECRET_ACCESS_KEY": "aps-tests-secret"}


def settings_read_from(environ: dict) -> dict:
    """The settings aps/settings.py makes of the current environment plus ``environ``."""
    with mock.patch.dict(os.environ, environ):
        return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3_environment(s3_endpoint) -> dict:
    """The variables an operator sets to store files on this server (.env.example)."""
    return {
        "AWS_STORAGE_BUCKET_NAME": "aps-tests",
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **KEYS,
    }


@dataclass
class Bucket:
    name: str
    client: object

    def object_keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def object_storage(settings, s3_endpoint, s3_environment) -> Bucket:
    """The test's files go to a bucket of its own, on moto's server. Assigning STORAGES sends
    Django's ``setting_changed``, whose receiver (django.test.signals.storages_changed) drops
    the storages already built and empties ``default_storage``; every FileField without a
    storage of its own holds that lazy ``default_storage``, so it follows. pytest-django's
    ``settings`` puts STORAGES back after the test, with the same signal."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    bucket = Bucket(f"aps-{uuid.uuid4().hex[:16]}", client)
    client.create_bucket(
        Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    production = settings_read_from({**s3_environment, "AWS_STORAGE_BUCKET_NAME": bucket.name})
    settings.STORAGES = {**settings.STORAGES, "default": production["STORAGES"]["default"]}
    yield bucket
    for key in bucket.object_keys():
        client.delete_object(Bucket=bucket.name, Key=key)
    client.delete_bucket(Bucket=bucket.name)
