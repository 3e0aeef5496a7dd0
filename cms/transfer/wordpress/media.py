"""Media: the images posts use and their featured images, brought in from the uploads folder
through the upload pipeline (sniffing, limits, EXIF stripping, renditions), with their alt texts.

Nothing is fetched from the network: an image missing from the uploads folder keeps its old
address, and the report lists it.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path

from bs4 import BeautifulSoup

from cms.files.multipart import StoredUpload
from cms.files.sniff import HEAD_SIZE
from cms.files.storage import Storage
from cms.files.storage import from_settings as storage_from_settings
from cms.models import Media
from cms.services import media
from cms.services.errors import ContentError
from cms.settings import Settings
from cms.transfer.wordpress.body import referenced_images
from cms.transfer.wordpress.plan import UPLOADS, Member, Plan, item_locale, upload_path
from cms.transfer.wordpress.records import Records
from cms.transfer.wordpress.report import ImportOptions, Report
from cms.transfer.wordpress.wxr import WxrItem

_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


class MediaImporter:
    """Media ids by the address a post gives an image, imported once each."""

    def __init__(
        self,
        settings: Settings,
        the_plan: Plan,
        options: ImportOptions,
        report: Report,
        records: Records,
    ) -> None:
        self.settings = settings
        self.plan = the_plan
        self.options = options
        self.report = report
        self.records = records
        self.storage = storage_from_settings(settings)
        self.ids: dict[str, int | None] = {}  # attachment key → media id (None: not found)
        self.dry_ids = 0

    def images_of(self, item: WxrItem) -> list[str]:
        return referenced_images(item.content)

    def media_id(self, url: str) -> int | None:
        key = self._attachment_key(url)
        return self.ids.get(key) if key else None

    def dry_media(self, url: str) -> int | None:
        return self.ids.get(self._attachment_key(url) or "")

    def _attachment_key(self, url: str) -> str | None:
        rel = upload_path(url)
        if rel is None:
            return None
        attachment = self.plan.attachment_by_file.get(rel) or self.plan.attachment_by_file.get(
            _SIZE_SUFFIX.sub("", rel)
        )
        if attachment is not None:
            return f"attachment:{attachment.post_id}"
        return f"file:{_SIZE_SUFFIX.sub('', rel)}"

    async def attachment_media(self, attachment_id: int, member: Member, label: str) -> int | None:
        attachment = self.plan.attachments.get(attachment_id)
        if attachment is None:
            self.report.warn(
                label, f"its featured image (attachment {attachment_id}) is not in the export"
            )
            return None
        rel = upload_path(attachment.meta_value("_wp_attached_file") or attachment.attachment_url)
        if rel is None:
            self.report.warn(label, f"attachment {attachment_id} has no file in uploads")
            return None
        return await self.media_for(f"{UPLOADS}{rel}", member, label)

    async def media_for(self, url: str, member: Member, label: str) -> int | None:
        key = self._attachment_key(url)
        if key is None:
            return None
        if key not in self.ids:
            self.ids[key] = await self._import_media(key, label)
        media_id = self.ids[key]
        if media_id is not None and not self.options.dry_run:
            await self._alt_from(member, url, media_id)
        return media_id

    async def _import_media(self, key: str, label: str) -> int | None:
        attachment = None
        if key.startswith("attachment:"):
            attachment = self.plan.attachments[int(key.split(":", 1)[1])]
            rel = upload_path(
                attachment.meta_value("_wp_attached_file") or attachment.attachment_url
            )
        else:
            rel = key.split(":", 1)[1]
        known = await self.records.known("media", [key])
        if known is not None and await Media.exists(id=known):
            self.report.counts["media unchanged"] += 1
            return known
        source = self._upload_file(rel)
        if source is None:
            self.report.warn(
                label, f"{rel} is missing from the uploads folder: its image keeps its old address"
            )
            self.report.counts["media missing"] += 1
            return None
        size = source.stat().st_size
        if size > self.settings.max_upload_bytes:
            self.report.warn(label, f"{rel} is larger than the upload limit: not imported")
            return None
        if self.options.dry_run:
            self.dry_ids += 1
            self.report.counts["media imported"] += 1
            return self.dry_ids
        alt = {}
        if attachment is not None:
            text = (attachment.meta_value("_wp_attachment_image_alt") or "").strip()
            if text:
                alt[item_locale(attachment, self.plan.languages, self.plan.default_locale)] = text[
                    :1000
                ]
        upload = await _copy_to_temp(self.storage, source)
        try:
            kept = await media.store(
                upload,
                self.storage,
                media.MediaDetails(alt=alt),
                account_id=None,
                max_pixels=self.settings.max_image_pixels,
            )
        except ContentError as exc:
            upload.temp_path.unlink(missing_ok=True)
            self.report.warn(label, f"{rel}: {exc.message}")
            return None
        await self.records.remember(
            "media", key, kept.id, upload.sha256, attachment.guid if attachment else None
        )
        self.report.counts["media imported"] += 1
        return kept.id

    def _upload_file(self, rel: str | None) -> Path | None:
        if rel is None or self.options.uploads is None:
            return None
        root = self.options.uploads.resolve()
        path = (root / rel).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path

    async def _alt_from(self, member: Member, url: str, media_id: int) -> None:
        """An image's alternative text in a translation is its alt text in that locale."""
        alt = _image_alt(member.item.content, url)
        if not alt:
            return
        row = await Media.get_or_none(id=media_id)
        if row is not None and not (row.alt or {}).get(member.locale):
            row.alt = {**(row.alt or {}), member.locale: alt[:1000]}
            await row.save(update_fields=["alt", "updated_at"])


def _image_alt(content: str, url: str) -> str:
    """The alt text an ``<img>`` with this address has in a post's HTML."""
    for img in BeautifulSoup(content, "html.parser").find_all("img"):
        if img.get("src") == url:
            return " ".join(str(img.get("alt") or "").split())
    return ""


async def _copy_to_temp(storage: Storage, source: Path) -> StoredUpload:
    """Copy a file into the storage's scratch space, hashing it on the way."""
    temp = storage.temp_path()

    def copy() -> tuple[int, str, bytes]:
        digest = hashlib.sha256()
        size = 0
        head = b""
        with source.open("rb") as reader, temp.open("wb") as writer:
            while chunk := reader.read(1 << 20):
                if not head:
                    head = chunk[:HEAD_SIZE]
                digest.update(chunk)
                size += len(chunk)
                writer.write(chunk)
        return size, digest.hexdigest(), head

    size, sha256, head = await asyncio.to_thread(copy)
    return StoredUpload(
        filename=source.name, declared_type="", temp_path=temp, size=size, sha256=sha256, head=head
    )
