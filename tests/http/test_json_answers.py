"""Answers are UTF-8 JSON: French arrives as written, not as ASCII escapes, and a value
orjson cannot write still arrives whole."""

from __future__ import annotations

import json

from cms.graphql.view import GraphQLView
from tests.factories import make_post


async def test_french_arrives_as_written(gql) -> None:
    await make_post(
        translations={"fr-CA": {"title": "Réseautage à Montréal", "slug": "reseautage"}}
    )

    response = await gql.request('{ posts(locale: "fr-CA") { nodes { title } } }')

    assert response.headers["content-type"].startswith("application/json")
    assert "Réseautage à Montréal".encode() in response.content
    assert response.json()["data"]["posts"]["nodes"] == [{"title": "Réseautage à Montréal"}]


def test_an_integer_wider_than_64_bits_is_written_whole() -> None:
    # orjson refuses it; a JSON scalar may hold one, and it must not become a server error.
    encoded = GraphQLView.encode_json(None, {"data": {"value": {"n": 2**70, "é": "à"}}})  # type: ignore[arg-type]

    assert isinstance(encoded, str)  # WebSocket messages go as text frames
    assert json.loads(encoded) == {"data": {"value": {"n": 2**70, "é": "à"}}}
    assert "é" in encoded
