"""The import, in order: read and plan the export, write the terms, then the post groups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cms.settings import Settings
from cms.transfer.wordpress import wxr
from cms.transfer.wordpress.plan import plan
from cms.transfer.wordpress.posts import PostImporter
from cms.transfer.wordpress.records import Records
from cms.transfer.wordpress.report import ImportOptions, Report
from cms.transfer.wordpress.terms import TermImporter

Progress = Callable[[str, int, int], None]


async def import_wordpress(
    settings: Settings,
    export_path: Path,
    options: ImportOptions,
    progress: Progress | None = None,
) -> Report:
    """Import the WXR file at ``export_path``; the ORM must be open on ``settings``."""
    report = Report(dry_run=options.dry_run)
    export = wxr.read(export_path)
    the_plan = plan(export, settings, options, report)
    progress = progress or _no_progress
    records = Records(the_plan.source)
    terms = TermImporter(settings, the_plan, options, report, records)
    posts = PostImporter(settings, the_plan, options, report, records, terms)
    progress("terms", 0, len(the_plan.term_groups))
    for done, group in enumerate(the_plan.term_groups, 1):
        await terms.write(group)
        progress("terms", done, len(the_plan.term_groups))
    for group in the_plan.term_groups:
        await terms.write_links(group)
    for done, post_group in enumerate(the_plan.posts, 1):
        await posts.write(post_group)
        progress("posts", done, len(the_plan.posts))
    return report


def _no_progress(what: str, done: int, total: int) -> None:
    pass
