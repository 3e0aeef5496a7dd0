"""Which pages may open a WebSocket to /graphql: browsers attach the site's cookies to any
handshake, so the origin decides before anything else (cross-site WebSocket hijacking).

The end-to-end refusals (403 to a foreign page, with or without a session) are in
``tests/graphql/test_subscriptions.py``; these are the rules, one by one.
"""

from __future__ import annotations

import logging

import pytest

from cms.graphql.endpoint.websocket import origin_allowed

SITE = ("https://site.example",)


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"host": "cms.example"}, ()),  # no Origin: not a browser, no cookies to abuse
        ({"host": "cms.example", "origin": "https://cms.example"}, ()),
        ({"host": "cms.example:8000", "origin": "http://cms.example:8000"}, ()),
        # TLS ended by a proxy: an https page reaches the app over http, on the default port
        ({"host": "cms.example", "origin": "https://cms.example:443"}, ()),
        (
            {
                "host": "cms.example",
                "origin": "https://elsewhere.example",
                "sec-fetch-site": "same-origin",
            },
            (),
        ),
        ({"host": "cms.example", "origin": "https://site.example"}, SITE),
        ({"host": "cms.example", "origin": "https://SITE.example:443"}, SITE),
        ({"host": "cms.example", "origin": "https://anything.example"}, ("*",)),
    ],
)
def test_own_and_allowed_origins_may_connect(headers: dict[str, str], allowed: tuple) -> None:
    assert origin_allowed(headers, allowed)


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"host": "cms.example", "origin": "https://elsewhere.example"}, ()),
        ({"host": "cms.example", "origin": "https://elsewhere.example"}, SITE),
        ({"host": "cms.example:8000", "origin": "http://cms.example:9000"}, ()),
        ({"host": "cms.example", "origin": "http://site.example"}, SITE),  # another scheme
        ({"host": "cms.example", "origin": "null"}, SITE),  # a sandboxed page
        ({"origin": "https://cms.example"}, ()),  # no Host to compare with
        ({"host": "cms.example", "origin": "https://cms.example:notaport"}, ()),
    ],
)
def test_other_pages_are_refused(
    headers: dict[str, str], allowed: tuple, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="cms.graphql.endpoint.websocket"):
        assert not origin_allowed(headers, allowed)
    assert "refused a WebSocket" in caplog.text
