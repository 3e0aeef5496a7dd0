"""The sample exports the transfer tests read, and checks shared by those tests."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from unittest import mock
from urllib.parse import urlsplit

from cms.services import markdown

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
WORDPRESS = SAMPLES / "wordpress"  # our bilingual blog: export.xml and its uploads/
WORDPRESS_EXPORT = WORDPRESS / "export.xml"
IMPORTER = SAMPLES / "wordpress-importer"  # WordPress's importer's own test files

# The WordPress importer's files that are well-formed exports, and those it must refuse.
READABLE_IMPORTER_SAMPLES = (
    "valid-wxr-1.0.xml",
    "valid-wxr-1.1.xml",
    "small-export.xml",
    "wxr-simple.xml",
    "term-formats.xml",
    "theme-unit-test-data.xml",
    "wxr-utf-8-challenges.xml",
    "crazy-cdata.xml",
    "crazy-cdata-escaped.xml",
    "slashes.xml",
    "namespace-edge-cases.xml",
)
ALL_READABLE_SAMPLES = (
    WORDPRESS_EXPORT,
    *(IMPORTER / name for name in READABLE_IMPORTER_SAMPLES),
)

_VOID = {"br", "hr", "img"}


def unsanitized_html(source: str) -> str:
    """The HTML `markdown.render` hands to nh3 for ``source``: markdown-it's rendering with
    media images already turned into ``<cinq-media>`` markers, before any sanitizing."""
    seen: list[str] = []
    real_clean = markdown.nh3.clean

    def clean(html: str, **options: object) -> str:
        seen.append(html)
        return real_clean(html, **options)

    with mock.patch.object(markdown, "nh3", SimpleNamespace(clean=clean)):
        markdown.render(source)
    (html,) = seen
    return html


def sanitizer_objections(source: str) -> list[str]:
    """What nh3 would strip or rework in the rendering of ``source`` (empty: nothing).

    Every tag and attribute must be on the renderer's allow-lists, every URL of an allowed
    scheme, and the markup balanced; comments and declarations would be dropped.
    """
    audit = _Audit()
    audit.feed(unsanitized_html(source))
    audit.close()
    return audit.objections


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.objections: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag not in _VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag not in _VOID:
            self.objections.append(f"<{tag}/> is not a void element")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            self.objections.append(f"</{tag}>")
        elif self._open and self._open[-1] == tag:
            self._open.pop()
        else:
            self.objections.append(f"</{tag}> closes {self._open[-1:] or 'nothing'}")

    def handle_comment(self, data: str) -> None:
        self.objections.append(f"comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.objections.append(f"declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.objections.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.objections.append(f"declaration <![{data}]>")

    def close(self) -> None:
        super().close()
        self.objections.extend(f"<{tag}> left open" for tag in self._open)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in markdown._TAGS:
            self.objections.append(f"<{tag}>")
            return
        for name, value in attrs:
            if name not in markdown._ATTRIBUTES.get(tag, set()):
                self.objections.append(f"<{tag} {name}>")
            elif name in {"href", "src"}:
                scheme = urlsplit(value or "").scheme.lower()
                if scheme not in markdown._URL_SCHEMES:
                    self.objections.append(f"<{tag} {name}={value!r}>")
