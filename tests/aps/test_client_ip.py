"""The client's address behind our proxies (aps.login_throttle.client_ip), which the login
locks and the password reset's limits count by."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory


def request(remote="10.0.0.2", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/connexion/", **headers)


@pytest.mark.parametrize(
    "count, forwarded, seen",
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy of ours: the header is the client's word
        (1, "203.0.113.9", "203.0.113.9"),  # nginx appended the client's address
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the client wrote the first one
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.1", "203.0.113.9"),  # a balancer, then nginx
        (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies: reached directly
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_address_the_outermost_proxy_saw(settings, count, forwarded, seen):
    settings.AXES_IPWARE_PROXY_COUNT = count
    assert get_client_ip_address(request(forwarded=forwarded)) == seen


def test_without_the_header_the_peer(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert get_client_ip_address(request()) == "10.0.0.2"
