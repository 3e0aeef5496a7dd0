"""The signature scheme, as a receiver checks it."""

from __future__ import annotations

import hashlib
import hmac

from cms.webhooks.signing import sign, verify

SECRET = "whsec_test"
BODY = b'{"id":"1","type":"post.published"}'


def test_the_header_is_an_hmac_of_the_time_and_the_body() -> None:
    header = sign(SECRET, BODY, timestamp=1_767_225_600)
    expected = hmac.new(SECRET.encode(), b"1767225600." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1767225600,v1={expected}"


def test_verification_refuses_another_body_secret_or_an_old_time() -> None:
    header = sign(SECRET, BODY, timestamp=1_000_000)
    assert verify(SECRET, BODY, header, now=1_000_000 + 299)
    assert not verify(SECRET, BODY + b" ", header, now=1_000_000)
    assert not verify("whsec_other", BODY, header, now=1_000_000)
    assert not verify(SECRET, BODY, header, now=1_000_000 + 301)  # a replay, too late
    assert not verify(SECRET, BODY, "v1=" + header.split("v1=")[1], now=1_000_000)
    assert not verify(SECRET, BODY, "garbage", now=1_000_000)
