"""Bringing a WordPress blog in: posts with their Polylang translations, terms, authors, media
and the addresses the old site served.

The export is read whole and checked before anything is written (:mod:`.wxr`, :mod:`.plan`),
so a malformed file or a language that maps to no configured locale leaves the database as it
was. Then, in order:

1. **Terms.** Categories and tags, one Cinq term per Polylang ``term_translations`` group (a
   term in no group is a term in the language of the posts that use it). A category keeps its
   parent. A term whose slug some Cinq term already has in that locale is that term.
2. **Authors**, as author profiles; no accounts are made.
3. **Post groups.** A Polylang ``post_translations`` group becomes one post with a
   translation per language; a post in no group, a post in its one language. Each group is
   one transaction: its media (from ``--uploads``, through the upload pipeline: sniffing,
   limits, EXIF stripping, renditions), the post through the authoring service (revisions,
   webhooks and all), its old slugs, its old addresses as redirects, and the record of where
   it came from. A group that fails is reported and rolled back; the others go on.

Every object remembers its WordPress id (:class:`~cms.models.ImportedObject`) and a digest of
what was imported: a second run updates what changed, skips the rest, and duplicates nothing,
which also makes an interrupted import resumable by running it again. Nothing is fetched from
the network: images come from the uploads folder or keep their old address, and are listed.

The modules follow those steps: :mod:`.importer` runs them, :mod:`.terms`, :mod:`.authors` and
:mod:`.posts` write (a post with its :mod:`.media`, :mod:`.state` and old :mod:`.addresses`),
:mod:`.records` remembers what was written, and :mod:`.body` turns post HTML into Markdown.
"""

from __future__ import annotations

from cms.transfer.wordpress.importer import import_wordpress
from cms.transfer.wordpress.report import ImportOptions, Report, WordPressImportError
from cms.transfer.wordpress.wxr import WxrError

__all__ = ["ImportOptions", "Report", "WordPressImportError", "WxrError", "import_wordpress"]
