"""Authors, as author profiles: no accounts are made. A profile already using the slug made
from the author's login (or name) is that author."""

from __future__ import annotations

from cms.models import Author
from cms.services import taxonomy_writing
from cms.services.text import slugify
from cms.transfer.wordpress.plan import Plan
from cms.transfer.wordpress.records import Records, digest_of
from cms.transfer.wordpress.report import Report


class AuthorImporter:
    """Author profile ids by WordPress login, each written once."""

    def __init__(self, the_plan: Plan, report: Report, records: Records) -> None:
        self.plan = the_plan
        self.report = report
        self.records = records
        self.ids: dict[str, int] = {}

    async def author_id(self, login: str) -> int | None:
        if not login:
            return None
        if login in self.ids:
            return self.ids[login]
        wp = next((a for a in self.plan.export.authors if a.login == login), None)
        name = (wp.display_name if wp else "") or login
        known = await self.records.known("author", [login])
        if known is None:
            slug = slugify(login) or slugify(name) or None
            existing = await Author.filter(slug=slug).values_list("id", flat=True) if slug else []
            if existing:
                known = existing[0]
                self.report.counts["authors matched"] += 1
            else:
                known = await taxonomy_writing.create_author(name, slug, {})
                self.report.counts["authors created"] += 1
            await self.records.remember("author", login, known, digest_of(name))
        self.ids[login] = known
        return known
