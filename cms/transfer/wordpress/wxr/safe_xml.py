"""Parsing the export's XML strictly: defusedxml with no document type, an error naming the
line and column, and the one repair we make (CDATA sections that end too early).

Why so strict, and how each of WordPress's test files fares, is told in
:mod:`cms.transfer.wordpress.wxr`.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser

from cms.transfer.wordpress.wxr.model import WxrError


def parse_xml(data: bytes, name: str, notes: list[str]) -> Element:
    """The document's root element, or `WxrError`; a repair made is said in ``notes``."""
    try:
        return _parse_strictly(data, name)
    except WxrError as error:
        if not error.args[0].endswith(_EARLY_CDATA_END):
            raise
        repaired, count = _escape_cdata_ends(data)
        try:
            root = _parse_strictly(repaired, name)
        except WxrError:
            raise error from None
        notes.append(
            f"read {count} CDATA section{'s' if count > 1 else ''} holding an unescaped “]]>”, "
            "as older exporters wrote them, to the end of their element"
        )
        return root


_EARLY_CDATA_END = "“]]>” outside a CDATA section: a CDATA section ends too early"
# A WordPress element whose whole text is a CDATA section, read to the "]]>" right before the
# element's closing tag, and never past that closing tag.
_CDATA_ELEMENT = re.compile(
    rb"(<(?P<tag>[A-Za-z_][\w.:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*><!\[CDATA\[)"
    rb"(?P<text>(?:(?!</(?P=tag)\s*>).)*?)(\]\]></(?P=tag)\s*>)",
    re.DOTALL,
)
# "]]>" inside such a text, unless already escaped as "]]]]><![CDATA[>".
_UNESCAPED_CDATA_END = re.compile(rb"\]\]>(?!<!\[CDATA\[)")


def _escape_cdata_ends(data: bytes) -> tuple[bytes, int]:
    count = 0

    def escape(match: re.Match[bytes]) -> bytes:
        nonlocal count
        text, found = _UNESCAPED_CDATA_END.subn(b"]]]]><![CDATA[>", match["text"])
        count += bool(found)
        return match.group(1) + text + match.group(4)

    return _CDATA_ELEMENT.sub(escape, data), count


def _parse_strictly(data: bytes, name: str) -> Element:
    parser = DefusedXMLParser(target=TreeBuilder(), forbid_dtd=True)
    try:
        parser.feed(data)
        return parser.close()
    except DTDForbidden as error:
        line = parser.parser.CurrentLineNumber
        raise WxrError(
            f"{name}, line {line}: refused the document type declaration "
            f"(<!DOCTYPE {error.name}>): WordPress exports have none, and its entities "
            "could expand without end or read files from this machine"
        ) from None
    except DefusedXmlException as error:  # entities without a DTD cannot happen; kept as a net
        raise WxrError(f"{name}: refused an XML entity ({error})") from None
    except ParseError as error:
        line, column = error.position
        reason = str(error).rsplit(": line ", 1)[0]
        if reason == "no element found":  # expat's words for a file cut short
            reason = "the file ends before its elements are closed: is it complete?"
        elif b"]]>" in _source_at(data, line, column)[:5]:
            reason = _EARLY_CDATA_END
        raise WxrError(f"{name}, line {line}, column {column + 1}: {reason}") from None


def _source_at(data: bytes, line: int, column: int) -> bytes:
    """The bytes around an error (expat points at the ">" of a stray "]]>")."""
    lines = data.split(b"\n", line)
    return lines[line - 1][max(column - 2, 0) :] if 0 < line <= len(lines) else b""
