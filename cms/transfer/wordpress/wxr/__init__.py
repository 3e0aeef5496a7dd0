"""Reading a WordPress export (WXR 1.0 to 1.2) into plain data, before anything is written.

A WXR file is RSS 2.0 with WordPress's own elements in the namespace
``http://wordpress.org/export/1.x/``: the site, its authors, its terms (categories, tags and every
other taxonomy, Polylang's languages and translation groups among them) and one ``<item>`` per
post, page, attachment or menu entry, with its meta and comments.

The file comes from elsewhere, so it is parsed with defusedxml and refused whole, with a
`WxrError` naming the line, unless it is well-formed XML and a WXR export of a version we know.
Nothing is written from a file we cannot read to its end: an import that stops halfway, or that
picks out what it can from a broken file, loses content without anyone noticing. WordPress's
own importer is laxer, and each of its test files shows where we differ:

- ``malformed.xml`` (a ``<notachanneltag>`` closed by ``</channel>``) and a truncated file
  (``malformed-simple.xml``): not well-formed. WordPress's XML parsers refuse them too, but when
  they fail it falls back to a tolerant parser that picks out what it can; we refuse.
- ``crazy-cdata.xml``: an old exporter's fault, a CDATA section holding an unescaped ``]]>``,
  which ends it early, so the file is not well-formed. It has one exact reading, which
  WordPress's fallback parser uses too: a WordPress element's CDATA is its whole text, so it
  ends at the ``]]>`` right before the element's closing tag. When a file fails on such a
  ``]]>``, and only then, each of those is escaped the way a current WordPress does
  (``]]]]><![CDATA[>``, as in ``crazy-cdata-escaped.xml``) and the file parsed again, as
  strictly; if it is still not well-formed, the first error is the one reported.
  `WxrExport.notes` says the repair was made.
- ``missing-version-tag.xml``, ``invalid-version-tag.xml``: well-formed, but without a WXR
  version, or with "abc". WordPress refuses both ("missing/invalid WXR version number"); so do
  we. It accepts any "N.N"; we accept the versions we know, 1.0, 1.1 and 1.2, as a later one may
  change what the elements mean.
- Any ``<!DOCTYPE>``: WordPress never writes one, and a document type is where entity bombs and
  external entities (``SYSTEM "file:///etc/passwd"``) live. Refused before any entity is read,
  as WordPress's main parser does.

Elements count by namespace, not prefix (``namespace-edge-cases.xml``): the export namespaces of
every WXR version are read wherever they are declared, and an element whose ``wp:`` prefix is
rebound to another namespace is ignored. An item left without ``wp:post_id`` or
``wp:post_type`` that way reads as post 0 of type "", which no import handles. When a field
appears twice, the last one wins, as in WordPress's importer.

Text is kept exactly as written (WordPress's slashes included); only identifiers, dates and
numbers are trimmed. Slugs are percent-decoded and NFC-normalized: WordPress stores non-ASCII
slugs percent-encoded ("qu%c3%a9bec").
"""

from cms.transfer.wordpress.wxr.model import (
    WxrAuthor,
    WxrComment,
    WxrError,
    WxrExport,
    WxrItem,
    WxrTerm,
    WxrTermRef,
)
from cms.transfer.wordpress.wxr.php import php_array
from cms.transfer.wordpress.wxr.reader import WXR_VERSIONS, parse_bytes, read

__all__ = [
    "WXR_VERSIONS",
    "WxrAuthor",
    "WxrComment",
    "WxrError",
    "WxrExport",
    "WxrItem",
    "WxrTerm",
    "WxrTermRef",
    "parse_bytes",
    "php_array",
    "read",
]
