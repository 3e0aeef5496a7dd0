"""Every address of a stored file comes from the storage the app was built with.

An object store serves its files from its own address, not from ``CMS_MEDIA_URL``: the API's
URLs, srcsets and renditions, the pictures in bodies, JSON-LD and the feeds' images all ask
the storage, so another backend plugs in behind the same interface.
"""

from __future__ import annotations

import httpx

from cms.app import create_app
from cms.files.storage import LocalStorage, check_key
from cms.models import Media, Post
from tests.factories import make_post

BUCKET = "https://files.example.net/bucket/"


class BucketStorage(LocalStorage):
    """The local store, its files given out under another address, as a bucket's are."""

    def url(self, key: str) -> str:
        return BUCKET + check_key(key)


QUERY = """
query($id: ID!) {
  post(id: $id, locale: "en-CA") {
    cover { url srcset(format: WEBP) rendition(width: 300) { url } }
    body { html }
    jsonLd
  }
}
"""


async def test_every_file_address_is_the_storage_s(settings) -> None:
    media = await Media.create(
        original_filename="cover.png",
        content_type="image/png",
        size=1234,
        sha256="ab" * 32,
        storage_key="blobs/ab/" + "ab" * 32,
        width=1600,
        height=900,
        alt={"en-CA": "A cover"},
        renditions=[
            {"key": "renditions/ab/cover/1600.png", "width": 1600, "height": 900, "format": "png"},
            {"key": "renditions/ab/cover/400.webp", "width": 400, "height": 225, "format": "webp"},
        ],
    )
    body = f"Before ![a picture](media:{media.id}) after."
    post = await make_post(
        translations={
            "fr-CA": {"title": "Image", "slug": "image", "body": body},
            "en-CA": {"title": "Picture", "slug": "picture", "body": body},
        }
    )
    await Post.filter(id=post.id).update(cover_id=media.id)

    storage = BucketStorage(settings.media_root, settings.media_url)
    app = create_app(settings, manage_database=False, storage=storage)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as client:
        answer = await client.post(
            "/graphql", json={"query": QUERY, "variables": {"id": str(post.id)}}
        )
        feed = await client.get("/feeds/en-CA/feed.json")

    found = answer.json()["data"]["post"]
    assert found["cover"] == {
        "url": BUCKET + "renditions/ab/cover/1600.png",
        "srcset": BUCKET + "renditions/ab/cover/400.webp 400w",
        "rendition": {"url": BUCKET + "renditions/ab/cover/400.webp"},
    }
    assert f'src="{BUCKET}renditions/ab/cover/1600.png"' in found["body"]["html"]
    assert found["jsonLd"]["image"] == BUCKET + "renditions/ab/cover/1600.png"
    (item,) = feed.json()["items"]
    assert item["image"] == BUCKET + "renditions/ab/cover/1600.png"
    assert f'src="{BUCKET}renditions/ab/cover/1600.png"' in item["content_html"]
    assert settings.media_url not in answer.text + feed.text
