"""An editor reads and writes each locale's alternative text as written: ``altTexts`` never
falls back, as ``alt`` does for readers."""

from __future__ import annotations

from cms.models import Media, Role
from tests.auth import caller

ALTS = """query($id: ID!) {
  media(id: $id) { altTexts { locale text } fr: alt(locale: "fr-CA") en: alt(locale: "en-CA") }
}"""
UPDATE = """mutation($id: ID!, $alt: [AltInput!]) {
  updateMedia(id: $id, alt: $alt) { media { altTexts { locale text } } errors { code } }
}"""


async def _image(alt: dict[str, str]) -> str:
    media = await Media.create(
        original_filename="salle.png",
        content_type="image/png",
        size=1234,
        sha256="1" * 64,
        storage_key="originals/salle.png",
        width=64,
        height=48,
        alt=alt,
    )
    return str(media.id)


async def test_alt_texts_are_as_written_in_the_configured_order(client) -> None:
    editor = await caller(client, Role.EDITOR)
    media_id = await _image({"en-CA": "A full room", "fr-CA": "Une salle pleine"})

    media = (await editor.data(ALTS, id=media_id))["media"]

    assert media["altTexts"] == [
        {"locale": "fr-CA", "text": "Une salle pleine"},
        {"locale": "en-CA", "text": "A full room"},
    ]


async def test_a_missing_alt_text_shows_as_missing_not_as_its_fallback(client) -> None:
    editor = await caller(client, Role.EDITOR)
    media_id = await _image({"fr-CA": "Une salle pleine"})

    media = (await editor.data(ALTS, id=media_id))["media"]

    assert media["en"] == "Une salle pleine"  # readers get the fallback
    assert media["altTexts"] == [{"locale": "fr-CA", "text": "Une salle pleine"}]


async def test_an_emptied_alt_text_is_gone_and_the_others_stay(client) -> None:
    editor = await caller(client, Role.EDITOR)
    media_id = await _image({"fr-CA": "Une salle pleine", "en-CA": "A full room"})

    payload = (await editor.data(UPDATE, id=media_id, alt=[{"locale": "en-CA", "text": "  "}]))[
        "updateMedia"
    ]

    assert payload["errors"] == []
    assert payload["media"]["altTexts"] == [{"locale": "fr-CA", "text": "Une salle pleine"}]
