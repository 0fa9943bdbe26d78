"""/healthz on an object store (moto's server, tests/storage/conftest.py): the probe asks for
an object that does not exist and takes the store's 404 for a working store."""

import socket

from django.urls import reverse

from tests.storage.conftest import settings_read_from

HEALTHZ = reverse("healthz")


def test_healthz_is_ok_when_the_object_store_answers(client, db, object_storage):
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response.json()["storage"] == {"ok": True}
    listing = object_storage.client.list_objects_v2(Bucket=object_storage.name)
    assert listing.get("Contents", []) == []  # the probe wrote nothing


def test_healthz_answers_503_when_the_object_store_is_unreachable(
    client, db, settings, s3_environment, monkeypatch
):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    production = settings_read_from(
        {**s3_environment, "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
    )
    settings.STORAGES = {**settings.STORAGES, "default": production["STORAGES"]["default"]}
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # boto3 would retry for seconds
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["storage"] == {"ok": False}
    assert response.json()["database"] == {"ok": True}
