"""WordPress post bodies to Cinq Markdown: what a reader saw, in the Markdown our renderer reads.

A post body from WordPress is one of two things. Classic-editor content is HTML without
paragraphs: WordPress adds them when it shows the post (its "autop" rules), and expands
shortcodes such as ``[caption]``. Block-editor content is HTML framed by block comments,
``<!-- wp:image {"id":300} -->…<!-- /wp:image -->``, some of which WordPress renders itself
(embeds, latest posts) or which belong to plugins (Jetpack's sharing buttons).

The conversion does what WordPress would before the page is shown, then turns the HTML into
Markdown with markdownify:

1. Blocks: content blocks keep their HTML; embeds become a link to what they embedded; blocks
   that WordPress builds at display time (latest posts, search, query loops), spacers, page
   breaks and Jetpack's blocks are dropped. Blocks we do not know keep their content.
2. Shortcodes: ``[caption]`` becomes a figure with its caption, ``[embed]``, ``[audio]``,
   ``[video]`` and any shortcode giving a URL become a link, the rest are dropped or, when they
   wrap text, give their text back. Square brackets that are not a shortcode ("[sic]") stay.
3. A URL alone on its line, which WordPress would embed, becomes a link.
4. Classic content gets its paragraphs and line breaks, by WordPress's rules: a blank line
   ends a paragraph, a single line break is a ``<br>``, block-level elements stand on their
   own and ``<pre>`` is left as it is.
5. HTML to Markdown: media we know become ``![alt](media:42)``, an image with a caption the
   figure our renderer keeps, links keep only http, https, mailto and tel addresses.

Anything dropped, or kept in a poorer form, is said in the notes for the import report. The
Markdown only holds what our sanitizer allows, so it renders the same as it reads.
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, ClassVar
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, CData, Comment, NavigableString, PageElement, Tag
from bs4.element import Declaration, Doctype, ProcessingInstruction
from markdownify import ATX, BACKSLASH, MarkdownConverter, chomp

MediaLookup = Callable[[str], int | None]

_URL_SCHEMES = {"http", "https", "mailto", "tel"}  # cms.services.markdown allows these
_ROOT = "cinq-post"
_MAX_MEDIA_ID = 10**10  # media:ID takes up to ten digits


@dataclass(frozen=True)
class ConvertedBody:
    markdown: str
    notes: tuple[str, ...]


def convert(content: str, media_id: MediaLookup) -> ConvertedBody:
    """Convert a post body; ``media_id(url)`` gives the Cinq media id of an image URL as it
    appears in the post (None: not imported, the image keeps its old URL and a note says so)."""
    notes = _Notes()
    root = _prepare(content, notes)
    try:
        markdown = _Converter(media_id, notes).convert_soup(root)
    except RecursionError:  # HTML nested thousands deep: keep the words
        notes.add("the post's HTML is nested too deeply to convert: kept its text only")
        markdown = "\n\n".join(
            _escape_inline(" ".join(line.split()))
            for line in root.get_text("\n").split("\n\n")
            if line.strip()
        )
    return ConvertedBody(markdown=_tidy(markdown), notes=notes.lines())


def referenced_images(content: str) -> list[str]:
    """The image URLs a post body uses (img src, in order, deduplicated), so the importer can
    bring the media in before converting.

    They are the URLs `convert` will ask ``media_id`` about, exactly as written in the post
    (possibly relative); images in dropped blocks or inline ``data:`` images are left out.
    """
    found: dict[str, None] = {}
    for image in _prepare(content, _Notes()).find_all("img"):
        source = _image_source(image)
        if source and image.find_parent("pre") is None:
            found.setdefault(source)
    return list(found)


def plain_excerpt(excerpt: str) -> str:
    """A WordPress excerpt as plain text: tags and shortcodes out, whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(_strip_shortcode_tags(excerpt.replace("\x00", "")))
    extractor.close()
    # Non-breaking spaces stay: French puts them before "?", ":" and inside « ».
    return re.sub(r"[ \t\n\r\f\v]+", " ", "".join(extractor.parts)).strip(" ")


class _Notes:
    """Report lines in order, each once, with a count when it repeats."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, line: str) -> None:
        self._counts[line] = self._counts.get(line, 0) + 1

    def lines(self) -> tuple[str, ...]:
        return tuple(
            line if count == 1 else f"{line} ({count} times)"
            for line, count in self._counts.items()
        )


def _prepare(content: str, notes: _Notes) -> Tag:
    """The post as WordPress would show it, parsed and cleaned, ready for markdownify."""
    text = content.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    if "<!-- wp:" in text:
        markup = _render_blocks(_parse_blocks(text), notes)
    else:
        markup = _classic(text, notes)
    # The wrapper is an element no post closes (a stray </div> must not end the post early),
    # and keeps BeautifulSoup from taking a lone URL for a file name.
    root = BeautifulSoup(f"<{_ROOT}>{markup}</{_ROOT}>", "html.parser").find(_ROOT)
    assert isinstance(root, Tag)
    _clean(root, notes)
    return root


# --- Blocks ---------------------------------------------------------------------------------

_BLOCK_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?:(?P<attrs>\{.*?\})\s+)?(?P<void>/)?-->",
    re.DOTALL,
)

# Core blocks whose saved HTML is their content.
_CONTENT_BLOCKS = {
    f"core/{name}"
    for name in (
        "paragraph", "heading", "list", "list-item", "quote", "pullquote", "image", "gallery",
        "table", "code", "preformatted", "verse", "separator", "columns", "column", "group",
        "row", "stack", "freeform", "html", "media-text", "cover", "buttons", "button",
        "details", "missing", "text-columns", "subhead", "shortcode", "audio", "video", "file",
    )
}  # fmt: skip
# Blocks dropped even when they hold markup: it is navigation, layout or a plugin's widget.
_DROPPED_BLOCKS = {
    "core/spacer",
    "core/more",
    "core/nextpage",
    "core/table-of-contents",
    "core/social-links",
    "core/navigation",
    "core/search",
    "core/loginout",
}
# Jetpack blocks that hold what the author wrote, not a widget.
_JETPACK_CONTENT_BLOCKS = {"jetpack/markdown", "jetpack/tiled-gallery", "jetpack/slideshow"}
_MEDIA_ELEMENTS = ("img", "video", "audio", "iframe", "embed", "object")


@dataclass
class _Block:
    name: str
    attrs: dict[str, Any]
    inner: list[str | _Block]


def _parse_blocks(text: str) -> list[str | _Block]:
    """The block tree of a post: text between delimiters, and blocks with their inner parts."""
    top: list[str | _Block] = []
    open_blocks: list[_Block] = []
    position = 0
    for match in _BLOCK_DELIMITER.finditer(text):
        parts = open_blocks[-1].inner if open_blocks else top
        parts.append(text[position : match.start()])
        position = match.end()
        name = match["name"] if "/" in match["name"] else f"core/{match['name']}"
        if match["closer"]:
            # Close the innermost open block of that name, and any left open inside it; a
            # closer without an opener is ignored, as WordPress does.
            for depth in range(len(open_blocks) - 1, -1, -1):
                if open_blocks[depth].name == name:
                    del open_blocks[depth:]
                    break
            continue
        block = _Block(name=name, attrs=_block_attrs(match["attrs"]), inner=[])
        parts.append(block)
        if not match["void"]:
            open_blocks.append(block)
    (open_blocks[-1].inner if open_blocks else top).append(text[position:])
    return top


def _block_attrs(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        attrs = json.loads(raw)
    except ValueError:
        return {}
    return attrs if isinstance(attrs, dict) else {}


def _render_blocks(parts: list[str | _Block], notes: _Notes, top: bool = True) -> str:
    rendered: list[str] = []
    for part in parts:
        if isinstance(part, _Block):
            rendered.append(_render_block(part, notes))
        elif top:  # outside any block: classic content, which WordPress shows with autop
            rendered.append(_classic(part, notes) if part.strip() else part)
        else:
            rendered.append(_embeds(_shortcodes(part, notes), notes))
    return "".join(rendered)


def _render_block(block: _Block, notes: _Notes) -> str:
    name = block.name
    if name == "core/embed" or name.startswith("core-embed/"):
        return _embed_block(block, notes)
    if name.startswith("jetpack/") and name not in _JETPACK_CONTENT_BLOCKS:
        notes.add(f"dropped the Jetpack block {name}")
        return ""
    if name == "core/block":
        notes.add(
            f"dropped a reusable block (wp_block {block.attrs.get('ref', '?')}): its content "
            "is kept in another item of the export"
        )
        return ""
    if name in _DROPPED_BLOCKS:
        notes.add(f"dropped the block {name}")
        return ""
    inner = _render_blocks(block.inner, notes, top=False)
    if name == "core/cover":
        inner = _cover_image(block) + inner
    if name in _CONTENT_BLOCKS:
        return inner
    if not _has_content(inner):
        notes.add(f"dropped the block {name}, which has no content of its own")
        return ""
    notes.add(f"kept the content of the block {name}")
    return inner


def _embed_block(block: _Block, notes: _Notes) -> str:
    inner = "".join(part for part in block.inner if isinstance(part, str))
    url = str(block.attrs.get("url") or "")
    if not url:
        found = re.search(r"https?://[^\s<>\"']+", inner)
        url = html.unescape(found.group()) if found else ""
    if not _is_web_url(url):
        notes.add(f"dropped the embed block {block.name}, which has no address")
        return ""
    slug = str(block.attrs.get("providerNameSlug") or block.name.partition("/")[2])
    notes.add(_embed_note(url, slug if slug != "embed" else ""))
    escaped = html.escape(url)
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", inner, re.DOTALL)
    after = f"<p>{caption.group(1)}</p>" if caption else ""
    return f'<p><a href="{escaped}">{escaped}</a></p>{after}'


def _cover_image(block: _Block) -> str:
    """A cover's background image, which older covers give only in a style attribute."""
    url = block.attrs.get("url")
    inner = "".join(part for part in block.inner if isinstance(part, str))
    if not isinstance(url, str) or not url or "<img" in inner:
        return ""
    if block.attrs.get("backgroundType", "image") != "image":
        return ""
    alt = html.escape(str(block.attrs.get("alt") or ""))
    return f'<p><img src="{html.escape(url)}" alt="{alt}"></p>'


def _has_content(markup: str) -> bool:
    if re.search(rf"<(?:{'|'.join(_MEDIA_ELEMENTS)})\b", markup, re.IGNORECASE):
        return True
    text = re.sub(r"<!--.*?-->|<[^>]*>", "", markup, flags=re.DOTALL)
    return bool(html.unescape(text).strip())


# --- Shortcodes -----------------------------------------------------------------------------

_SHORTCODE = re.compile(
    r"\[(?P<escaped>\[?)(?P<name>[A-Za-z][\w-]*)(?![\w-])(?P<attrs>[^\]]*?)(?P<void>/)?\]"
    r"(?P<escaped_end>\]?)"
)
_SHORTCODE_CLOSER = re.compile(r"\[/[A-Za-z][\w-]*\]")
_SHORTCODE_ATTR = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|"([^"]*)"|'([^']*)'|(\S+)"""
)
_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>\[\]]+")
# Shortcodes of WordPress and of the plugins most blogs had. A name outside this list still
# counts as a shortcode when it has attributes, a closing tag or an "_" in its name; other
# words in brackets are prose ("[sic]", "[co-founder]").
_KNOWN_SHORTCODES = {
    "caption", "wp_caption", "gallery", "playlist", "audio", "video", "embed",
    "archives", "bandcamp", "contact-form", "contact-field", "crowdsignal", "dailymotion",
    "facebook", "flickr", "gist", "googlemaps", "instagram", "jetpack_share_buttons",
    "jetpack_subscription_form", "latex", "pinterest", "polldaddy", "portfolio", "presentation",
    "recipe", "scribd", "sitemap", "slide", "slideshare", "slideshow", "soundcloud", "spotify",
    "ted", "testimonials", "tweet", "twitchtv", "videopress", "vimeo", "wpvideo", "youtube",
}  # fmt: skip
_CAPTION_PARTS = re.compile(
    r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL | re.IGNORECASE
)


def _shortcodes(text: str, notes: _Notes) -> str:
    """Expand or remove the shortcodes of ``text`` (not those inside tags, code or pre)."""
    if "[" not in text:
        return text
    protected = _Protected(text, ("pre", "code", "script", "style", "textarea"))
    out: list[str] = []
    position = 0
    for match in _SHORTCODE.finditer(text):
        start = match.start()
        if start < position or protected.covers(start):
            continue
        name = match["name"]
        closer = re.compile(rf"\[/{re.escape(name)}\]")
        closing = None if match["void"] else closer.search(text, match.end())
        if match["escaped"] and match["escaped_end"]:  # [[name]] shows "[name]" as written
            out.append(text[position:start])
            out.append(text[start + 1 : match.end() - 1])
            position = match.end()
            continue
        if not _is_shortcode(name, match["attrs"], closing is not None):
            continue
        end = closing.end() if closing else match.end()
        content = text[match.end() : closing.start()] if closing else None
        before = text[position:start]
        replacement, block_level = _expand(name, match["attrs"], content, notes)
        if block_level:  # WordPress takes a standalone shortcode out of its <p>
            wrapped_before = re.search(r"<p(?:\s[^>]*)?>\s*$", before)
            wrapped_after = re.match(r"\s*</p>", text[end:])
            if wrapped_before and wrapped_after:
                before = before[: wrapped_before.start()]
                end += wrapped_after.end()
        out.append(before)
        out.append(replacement)
        position = end
    out.append(text[position:])
    return _drop_stray_closers("".join(out))


def _drop_stray_closers(text: str) -> str:
    """Closing tags left without their opening one (``[/caption]``) are not text either."""
    if "[/" not in text:
        return text
    protected = _Protected(text, ("pre", "code", "script", "style", "textarea"))
    return _SHORTCODE_CLOSER.sub(
        lambda match: match.group() if protected.covers(match.start()) else "", text
    )


def _is_shortcode(name: str, attrs: str, enclosing: bool) -> bool:
    return (
        name.lower() in _KNOWN_SHORTCODES
        or enclosing
        or "=" in attrs
        or "_" in name
        or bool(_URL_IN_TEXT.search(attrs))
    )


def _expand(name: str, raw_attrs: str, content: str | None, notes: _Notes) -> tuple[str, bool]:
    """The HTML standing for one shortcode, and whether it is block-level."""
    lowered = name.lower()
    attrs = _shortcode_attrs(raw_attrs)
    if lowered in {"caption", "wp_caption"}:
        return _caption(attrs, content or "", notes), True
    if lowered in {"gallery", "playlist"}:
        notes.add(f"dropped the {lowered} shortcode [{name}{raw_attrs.rstrip()}]")
        return "", False
    url = _shortcode_url(lowered, attrs, raw_attrs, content)
    if url:
        if lowered in {"audio", "video"}:
            notes.add(f"kept the {lowered} as a link: {url}")
        elif lowered == "embed" or _provider(url):
            notes.add(_embed_note(url))
        else:
            notes.add(f"kept the shortcode [{name}] as a link: {url}")
        escaped = html.escape(url)
        return f'<a href="{escaped}">{escaped}</a>', False
    if content is not None and lowered not in {"embed", "audio", "video"}:
        notes.add(f"removed the shortcode [{name}] and kept the text it wrapped")
        return _shortcodes(content, notes), False
    notes.add(f"dropped the shortcode [{name}]")
    return "", False


def _shortcode_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for index, match in enumerate(_SHORTCODE_ATTR.finditer(raw)):
        key = match.group(1)
        value = next((group for group in match.groups()[1:] if group is not None), "")
        attrs[key.lower() if key else str(index)] = value
    return attrs


def _shortcode_url(
    name: str, attrs: dict[str, str], raw_attrs: str, content: str | None
) -> str | None:
    candidates: list[str] = []
    if name == "embed" and content:
        candidates.append(html.unescape(content.strip()))
    for key in ("src", "url", "href", "link", "mp3", "m4a", "ogg", "wav", "mp4", "m4v", "webm"):
        if key in attrs:
            candidates.append(html.unescape(attrs[key].strip()))
    found = _URL_IN_TEXT.search(raw_attrs)
    if found:
        candidates.append(html.unescape(found.group()))
    if name in {"embed", "audio", "video"} and content:
        found = _URL_IN_TEXT.search(content)
        if found:
            candidates.append(html.unescape(found.group()))
    return next((url for url in candidates if _is_web_url(url)), None)


def _caption(attrs: dict[str, str], content: str, notes: _Notes) -> str:
    """``[caption]<img …> Caption text[/caption]`` (or ``caption="…"``) as a figure."""
    parts = _CAPTION_PARTS.match(content)
    if parts is None:  # no image: keep what it wrapped
        notes.add("removed a [caption] shortcode that held no image and kept its text")
        return _shortcodes(content, notes)
    image, caption = parts.group(1), parts.group(2)
    caption = attrs.get("caption", caption)
    caption = _shortcodes(caption, notes).strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{image}{figcaption}</figure>"


def _strip_shortcode_tags(text: str) -> str:
    """Text without its shortcode tags; what they wrap stays."""
    enclosing = {name.lower() for name in re.findall(r"\[/([A-Za-z][\w-]*)\]", text)}

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if _is_shortcode(name, match["attrs"], name.lower() in enclosing):
            return ""
        return match.group()

    return _SHORTCODE_CLOSER.sub("", _SHORTCODE.sub(replace, text))


# --- Embeds ---------------------------------------------------------------------------------

_PROVIDERS = {
    "youtube": "YouTube", "vimeo": "Vimeo", "twitter": "Twitter", "x": "X",
    "facebook": "Facebook", "instagram": "Instagram", "soundcloud": "SoundCloud",
    "spotify": "Spotify", "flickr": "Flickr", "tiktok": "TikTok", "wordpress-tv": "WordPress.tv",
    "dailymotion": "Dailymotion", "slideshare": "SlideShare", "ted": "TED", "reddit": "Reddit",
    "tumblr": "Tumblr", "imgur": "Imgur", "kickstarter": "Kickstarter", "mixcloud": "Mixcloud",
    "scribd": "Scribd", "speaker-deck": "Speaker Deck", "issuu": "Issuu",
    "pinterest": "Pinterest", "bluesky": "Bluesky", "videopress": "VideoPress",
    "pocket-casts": "Pocket Casts", "bandcamp": "Bandcamp", "wordpress": "WordPress",
}  # fmt: skip
_PROVIDER_HOSTS = {
    "youtube.com": "youtube", "youtu.be": "youtube", "youtube-nocookie.com": "youtube",
    "vimeo.com": "vimeo", "twitter.com": "twitter", "x.com": "x", "facebook.com": "facebook",
    "fb.watch": "facebook", "instagram.com": "instagram", "soundcloud.com": "soundcloud",
    "spotify.com": "spotify", "flickr.com": "flickr", "flic.kr": "flickr",
    "tiktok.com": "tiktok", "wordpress.tv": "wordpress-tv", "dailymotion.com": "dailymotion",
    "slideshare.net": "slideshare", "ted.com": "ted", "reddit.com": "reddit",
    "tumblr.com": "tumblr", "imgur.com": "imgur", "kickstarter.com": "kickstarter",
    "mixcloud.com": "mixcloud", "scribd.com": "scribd", "speakerdeck.com": "speaker-deck",
    "issuu.com": "issuu", "pinterest.com": "pinterest", "bsky.app": "bluesky",
    "videopress.com": "videopress", "pca.st": "pocket-casts", "bandcamp.com": "bandcamp",
}  # fmt: skip
_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE | re.IGNORECASE)
_URL_PARAGRAPH = re.compile(r"(<p(?:\s[^>]*)?>)\s*(https?://[^\s<>\"]+)\s*(</p>)", re.IGNORECASE)


def _provider(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    while host:
        if host in _PROVIDER_HOSTS:
            return _PROVIDER_HOSTS[host]
        host = host.partition(".")[2]
    return None


def _embed_note(url: str, slug: str = "") -> str:
    name = _PROVIDERS.get(slug) or _PROVIDERS.get(_provider(url) or "") or slug.title()
    return f"kept the {name} embed as a link: {url}" if name else f"kept the embed as a link: {url}"


def _embeds(text: str, notes: _Notes) -> str:
    """Links for URLs alone on their line or in their paragraph, which WordPress embeds."""
    if "http" not in text:
        return text
    protected = _Protected(text, ("a", "pre", "code", "script", "style", "textarea"))

    def link(match: re.Match[str], group: int) -> str:
        if protected.covers(match.start(group)):
            return match.group()
        url = match.group(group)
        notes.add(_embed_note(html.unescape(url)))
        return (
            match.group()[: match.start(group) - match.start()]
            + f'<a href="{url}">{url}</a>'
            + match.group()[match.end(group) - match.start() :]
        )

    text = _URL_PARAGRAPH.sub(lambda match: link(match, 2), text)
    protected = _Protected(text, ("a", "pre", "code", "script", "style", "textarea"))
    return _URL_LINE.sub(lambda match: link(match, 1), text)


class _Protected:
    """Where in a piece of HTML text must be left alone: inside tags and inside the given
    elements (links, code...)."""

    _TAG = re.compile(r"<!--.*?-->|</?([A-Za-z][\w:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)

    def __init__(self, text: str, elements: tuple[str, ...]) -> None:
        spans: list[tuple[int, int]] = []
        open_at: dict[str, list[int]] = {}
        for match in self._TAG.finditer(text):
            spans.append((match.start(), match.end()))
            name = (match.group(1) or "").lower()
            if name not in elements:
                continue
            if match.group().startswith("</"):
                if open_at.get(name):
                    spans.append((open_at[name].pop(0), match.end()))
            else:
                open_at.setdefault(name, []).append(match.end())
        for starts in open_at.values():  # unclosed: protected to the end
            spans.extend((start, len(text)) for start in starts)
        self._spans = _merge(spans)
        self._starts = [start for start, _ in self._spans]

    def covers(self, position: int) -> bool:
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and self._spans[index][0] <= position < self._spans[index][1]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# --- Classic content: WordPress's paragraph rules -------------------------------------------

# Elements that stand on their own line in WordPress's rules: never wrapped in a paragraph.
_BLOCK_TAGS = {
    "address", "area", "article", "aside", "blockquote", "caption", "col", "colgroup", "dd",
    "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li", "map", "menu", "nav",
    "ol", "p", "pre", "section", "style", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
_AUTOP_TOKEN = re.compile(
    r"(?P<raw><(?P<raw_name>pre|script|style|textarea|svg|math|code)\b"
    r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</(?P=raw_name)\s*>)"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<tag><(?P<closing>/)?(?P<name>[A-Za-z][\w:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)",
    re.DOTALL | re.IGNORECASE,
)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ENDS_WITH_BR = re.compile(r"<br\s*/?>\s*$", re.IGNORECASE)


def _classic(text: str, notes: _Notes) -> str:
    """Classic-editor content as WordPress shows it: embeds, shortcodes, then paragraphs."""
    return _autop(_embeds(_shortcodes(text, notes), notes))


def _autop(text: str) -> str:
    """Paragraphs and line breaks for text written without them.

    Text separated by a blank line is a paragraph; a single line break inside one is a
    ``<br />``. Block-level elements are paragraph boundaries and are never wrapped; text that
    directly follows an opening block tag (``<li>item``, ``<div>text``) is that element's own
    and stays unwrapped, except in a blockquote. ``<pre>``, ``<code>``, scripts and the inside
    of tags are left exactly as they are.
    """
    if not text.strip():
        return ""
    # Items: ("inline", markup) or (kind, tag) with kind "open", "close" or "alone".
    items: list[tuple[str, str]] = []
    inline: list[str] = []

    def flush() -> None:
        if inline:
            items.append(("inline", _DOUBLE_BR.sub("\n\n", "".join(inline))))
            inline.clear()

    position = 0
    for match in _AUTOP_TOKEN.finditer(text):
        inline.append(text[position : match.start()])
        position = match.end()
        token = match.group()
        if match["raw"] is not None and match["raw_name"].lower() == "pre":
            flush()
            items.append(("alone", token))
        elif match["tag"] is not None and match["name"].lower() in _BLOCK_TAGS:
            flush()
            if match["closing"]:
                items.append(("close", token))
            elif match["name"].lower() == "hr" or token.endswith("/>"):
                items.append(("alone", token))
            else:
                items.append(("open", token))
        else:  # inline tags, comments, code: newlines inside them are not line breaks
            inline.append(token.replace("\n", "\x00"))
    inline.append(text[position:])
    flush()

    out: list[str] = []
    for index, (kind, markup) in enumerate(items):
        if kind != "inline":
            out.append(markup)
            continue
        before = items[index - 1] if index else None
        glued = (
            before is not None
            and before[0] == "open"
            and not before[1].lower().startswith("<blockquote")
        )
        chunks = _BLANK_LINE.split(markup)
        for number, chunk in enumerate(chunks):
            if not _visible(chunk):  # whitespace, comments
                out.append(chunk)
                continue
            if number == 0 and glued:
                lead = chunk[: len(chunk) - len(chunk.lstrip())]
                trail = chunk[len(chunk.rstrip()) :]
                out.append(lead + _line_breaks(chunk.strip()) + trail)
            else:
                out.append(f"\n<p>{_line_breaks(chunk.strip())}</p>\n")
    return "".join(out).replace("\x00", "\n")


def _visible(chunk: str) -> bool:
    return bool(re.sub(r"<!--.*?-->", "", chunk.replace("\x00", "\n"), flags=re.DOTALL).strip())


def _line_breaks(chunk: str) -> str:
    lines = [line.strip(" \t") for line in chunk.split("\n")]
    joined = lines[0]
    for line in lines[1:]:
        joined += ("\n" if _ENDS_WITH_BR.search(joined) else "<br />\n") + line
    return joined


# --- The HTML tree --------------------------------------------------------------------------

_GALLERY_CLASSES = {
    "wp-block-gallery",
    "blocks-gallery-grid",
    "gallery",
    "tiled-gallery",
    "wp-block-jetpack-tiled-gallery",
    "wp-block-jetpack-slideshow",
}
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff")
_DROPPED_ELEMENTS = {
    "form": "a form",
    "input": None,
    "button": None,
    "select": None,
    "textarea": None,
    "svg": "an SVG drawing",
    "math": "a formula (MathML)",
    "canvas": None,
    "map": None,
    "link": None,
    "meta": None,
    "style": None,
    "noscript": None,  # what a browser without scripts would show: a copy of what is there
    "template": None,
    "script": "a script",
}
_MEDIA_KINDS = {"video": "video", "audio": "audio", "iframe": "embed", "embed": "embed"}
# Where a video or frame sits among text: its link stays on the line, not in a new paragraph.
_TEXT_CONTAINERS = {
    "a", "abbr", "b", "big", "cite", "code", "del", "em", "figcaption", "font", "h1", "h2",
    "h3", "h4", "h5", "h6", "i", "ins", "kbd", "li", "mark", "p", "q", "s", "small", "span",
    "strike", "strong", "sub", "sup", "td", "th", "tt", "u", "var",
}  # fmt: skip


def _clean(root: Tag, notes: _Notes) -> None:
    """Take out what has no Markdown form, and shape the rest for the converter."""
    for node in list(root.descendants):
        if isinstance(node, Comment):
            marker = node.strip().lower()
            if marker.startswith("more"):
                notes.add("dropped the “more” break (<!--more-->)")
            elif marker == "nextpage":
                notes.add("dropped a page break (<!--nextpage-->): the pages now read as one")
            node.extract()
        elif isinstance(node, (ProcessingInstruction, Declaration, Doctype)):
            node.extract()
        elif isinstance(node, CData):
            node.replace_with(NavigableString(str(node)))
    while (element := root.find(list(_DROPPED_ELEMENTS))) is not None:
        what = _DROPPED_ELEMENTS[element.name]
        if what:
            notes.add(f"dropped {what}")
        element.decompose()
    while (element := root.find(list(_MEDIA_KINDS))) is not None:
        _media_link(element, notes)
    while (element := root.find("object")) is not None:
        notes.add("dropped an embedded object")
        element.decompose()
    while (gallery := root.find(_is_gallery)) is not None:
        _flatten_gallery(gallery)
    for item in root.find_all("li"):
        if item.parent is not None and item.parent.name not in {"ul", "ol"}:
            item.wrap(_new_tag(item, "ul"))  # a list item on its own is still a list
    for listing in root.find_all(["ul", "ol"]):
        for child in list(listing.children):  # what sits in a list between its items is one
            if isinstance(child, Tag) and child.name in {"li", "ul", "ol"}:
                continue
            if isinstance(child, NavigableString) and not child.strip():
                continue
            child.wrap(_new_tag(listing, "li"))
    for button in root.select("a.wp-block-file__button"):
        button.decompose()  # the file block's "Download" repeats its link
    for link in root.find_all("a"):
        images = link.find_all("img")
        if len(images) == 1 and not link.get_text(strip=True) and _links_to_image(link, images[0]):
            link.unwrap()
    _join_text(root)


def _join_text(root: Tag) -> None:
    """One text node where cleaning left several side by side, so that escaping sees them
    whole (without recursion: posts can nest deeply)."""
    for node in list(root.find_all(string=True)):
        if type(node) is not NavigableString or node.parent is None:
            continue
        following = node.next_sibling
        if type(following) is not NavigableString:
            continue
        joined = str(node)
        while type(following) is NavigableString:
            joined += str(following)
            after = following.next_sibling
            following.extract()
            following = after
        node.replace_with(NavigableString(joined))


def _is_gallery(element: Tag) -> bool:
    return bool(_GALLERY_CLASSES.intersection(element.get_attribute_list("class")))


def _media_link(element: Tag, notes: _Notes) -> None:
    """A video, audio or embedded frame as a link to what it played."""
    kind = _MEDIA_KINDS[element.name]
    sources = [element.get("src")] + [source.get("src") for source in element.find_all("source")]
    url = next((str(src).strip() for src in sources if src and _is_web_url(str(src).strip())), "")
    if not url:
        notes.add(f"dropped an embedded {kind} with no web address")
        element.decompose()
        return
    notes.add(_embed_note(url) if kind == "embed" else f"kept the {kind} as a link: {url}")
    link = _new_tag(element, "a", href=url)
    link.string = url
    if element.parent is not None and element.parent.name in _TEXT_CONTAINERS:
        # On a line of its own, as the player was.
        before, after = _beside(element, "previous"), _beside(element, "next")
        element.replace_with(link)
        if before:
            link.insert_before(_new_tag(link, "br"))
        if after:
            link.insert_after(_new_tag(link, "br"))
    else:
        paragraph = _new_tag(element, "p")
        paragraph.append(link)
        element.replace_with(paragraph)


def _beside(element: Tag, side: str) -> bool:
    """Whether content other than a line break sits next to an element on that side."""
    sibling = element.previous_sibling if side == "previous" else element.next_sibling
    while sibling is not None:
        if isinstance(sibling, Tag):
            return sibling.name != "br"
        if sibling.strip():
            return True
        sibling = sibling.previous_sibling if side == "previous" else sibling.next_sibling
    return False


def _flatten_gallery(gallery: Tag) -> None:
    """A gallery as its images one after the other, each with its caption."""
    replacement = _new_tag(gallery, "div")
    taken: list[Tag] = []
    for image in gallery.find_all("img"):
        figure = image.find_parent("figure")
        inside = figure is not None and any(parent is gallery for parent in figure.parents)
        item = figure if figure is not None and inside else image
        if all(item is not other for other in taken):
            taken.append(item)
    caption = next((child for child in gallery.find_all("figcaption", recursive=False)), None)
    for item in taken:
        item.extract()
        if item.name == "img":
            paragraph = _new_tag(gallery, "p")
            paragraph.append(item)
            item = paragraph
        replacement.append(item)
    if caption is not None:
        paragraph = _new_tag(gallery, "p")
        paragraph.extend(list(caption.contents))
        replacement.append(paragraph)
    gallery.replace_with(replacement)


def _links_to_image(link: Tag, image: Tag) -> bool:
    """Whether a link around an image only opens the image itself (or its attachment page)."""
    href = str(link.get("href") or "")
    parts = urlsplit(href)
    path = parts.path.lower()
    source = urlsplit(_image_source(image) or "")
    return (
        path.endswith(_IMAGE_EXTENSIONS)
        or "attachment_id=" in parts.query
        or "/attachment/" in path
        or (bool(path) and path == source.path.lower())
        or "attachment" in link.get_attribute_list("rel")  # rel="attachment wp-att-612"
        or (bool(href) and href == image.get("data-link"))  # gallery blocks say where they link
    )


def _new_tag(near: Tag, name: str, **attrs: str) -> Tag:
    soup = next(parent for parent in near.parents if isinstance(parent, BeautifulSoup))
    return soup.new_tag(name, attrs=attrs)


def _image_source(image: Tag) -> str | None:
    """The address of an image as written, looking past lazy-loading placeholders."""
    for attribute in ("src", "data-lazy-src", "data-src", "data-orig-file"):
        value = str(image.get(attribute) or "").strip()
        if value and not value.lower().startswith("data:"):
            return value
    return None


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


# --- HTML to Markdown -----------------------------------------------------------------------

# Text is escaped one text node at a time, so what could pair with the next node's text (a
# "<" before "b>") is escaped at the end of a node too.
_INLINE_SPECIAL = re.compile(
    r"[\\`*\[\]]"  # escapes, code, emphasis, links
    r"|(?<![^\W_])_|_(?![^\W_])"  # an underscore that could open or close emphasis
    r"|^~|~(?=~|$)|(?<=~)~"  # strikethrough
    r"|<(?=[A-Za-z/!?]|$)"  # raw HTML, autolinks
    r"|&(?=#?\w+;|$)"  # character references
)
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[-=]+\s*$)")


def _escape_inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(lambda match: "\\" + match.group(), text)


def _escape_line_start(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        lead, marker = match.group(1), match.group(2)
        if marker[0].isdigit():
            return f"{lead}{marker}\\"
        return f"{lead}\\{marker}"

    return _LINE_START.sub(escape, text, count=1)


def _url(href: str) -> str | None:
    """An absolute link address we keep, or None."""
    href = "".join(char for char in href.strip() if char >= " " and char != "\x7f")
    if href.startswith("//"):
        href = "https:" + href
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme not in _URL_SCHEMES or (scheme in {"http", "https"} and not parts.netloc):
        return None
    return href


def _destination(url: str) -> str:
    """A URL as a Markdown link destination."""
    for char, replacement in (("\\", "\\\\"), ("(", "\\("), (")", "\\)")):
        url = url.replace(char, replacement)
    return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _autolinkable(url: str) -> bool:
    return not re.search(r"[\s<>]", url)


class _Converter(MarkdownConverter):
    """markdownify, speaking our dialect: media ids, figures, safe links, fenced code."""

    def __init__(self, media_id: MediaLookup, notes: _Notes) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            strong_em_symbol="*",
            newline_style=BACKSLASH,
            wrap=True,  # with no width: only collapses the source's line breaks
            wrap_width=None,
        )
        self.media_id = media_id
        self.notes = notes
        self._line_start = True

    def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
        self._line_start = _starts_line(el)
        text = super().process_text(el, parent_tags)
        previous = el.previous_sibling
        if isinstance(previous, Tag) and previous.name == "br" and "pre" not in (parent_tags or ()):
            text = text.lstrip(" ")  # the source's newline after a <br>
        return text

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = _escape_inline(text)
        if parent_tags & {"td", "th"}:
            text = text.replace("|", "\\|")
        return _escape_line_start(text) if self._line_start else text

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        raw = str(el.get("href") or "").strip()
        url = _url(raw)
        if url is None or "\n\n" in text:  # no address we keep, or whole blocks as its text
            if raw and not raw.startswith("#") and text.strip():
                self.notes.add(f"kept only the text of a link to {raw}")
            return text
        prefix, suffix, text = chomp(text)
        if not text:
            return ""
        if el.get_text().strip() == url and _autolinkable(url):
            return f"{prefix}<{url}>{suffix}"
        return f"{prefix}[{text}]({_destination(url)}){suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        alt = " ".join(str(el.get("alt") or "").split())
        if "_noformat" in parent_tags:  # in code: words only
            return alt
        alt = _escape_inline(alt)
        source = _image_source(el)
        if source is None:
            written = str(el.get("src") or "").strip()
            if written.lower().startswith("data:"):
                self.notes.add("dropped an image stored in the post itself (a data: URL)")
            else:
                self.notes.add("dropped an image with no address")
            return ""
        media = self.media_id(source)
        if media is not None:
            if not 0 < media < _MAX_MEDIA_ID:
                raise ValueError(f"media id {media!r} for {source} is not a media id")
            return f"![{alt}](media:{media})"
        url = _url(source)
        if url is None or not _is_web_url(url):
            self.notes.add(f"dropped an image that has no web address: {source[:120]}")
            return ""
        self.notes.add(f"left an image pointing at its old address: {url}")
        return f"![{alt}]({_destination(url)})"

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        caption = _image_caption(el)
        if caption is None:  # not a single image: its parts, the caption as a paragraph
            return self.convert_div(el, text, parent_tags)
        image = text.strip()
        if "_noformat" in parent_tags:  # in code: words only
            return f"{image} {caption}".strip()
        if "_inline" in parent_tags or not _in_blocks(el):
            return f" {image} {_escape_inline(caption)} "
        if not image:
            return f"\n\n{_escape_line_start(_escape_inline(caption))}\n\n" if caption else ""
        if not caption:
            return f"\n\n{image}\n\n"
        caption = html.escape(caption, quote=False)
        return f"\n\n<figure>\n\n{image}\n\n<figcaption>{caption}</figcaption>\n</figure>\n\n"

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        parent = el.parent
        if parent is not None and parent.name == "figure" and _image_caption(parent) is not None:
            return ""  # the figure writes it
        return self.convert_p(el, text, parent_tags)

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return text + "\n"
        if not text.strip():  # also &nbsp; alone, WordPress's empty paragraph
            return ""
        return super().convert_p(el, text, parent_tags)

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return "\n"
        return super().convert_br(el, text, parent_tags)

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not text.strip():
            return ""
        return super().convert_hN(n, el, text, parent_tags)

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        code = text.strip("\n")
        if not code.strip():
            return ""
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}{_code_language(el)}\n{code}\n{fence}\n\n"

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        source = el.get_text()
        inline = bool(parent_tags & {"_noformat", "_inline"})
        if not inline and "\n" in source.strip("\n"):  # a block of code written inline
            return self.convert_pre(el, source, parent_tags)
        return super().convert_code(el, text, parent_tags)

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if el.parent is not None and el.parent.name == "tfoot":  # rows like any other
            return f"|{text}\n"
        return super().convert_tr(el, text, parent_tags)

    def convert_dt(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "\n\n" in text:  # whole blocks: no bold around them
            return text
        text = text.strip()
        if "_inline" in parent_tags or not text:
            return f" {text} " if text else ""
        return f"\n\n**{text}**\n\n"

    def convert_dd(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self.convert_p(el, text, parent_tags)

    # Emphasis inside the same emphasis (<strong>bold <strong>again</strong></strong>) or
    # around whole blocks (broken HTML) has no Markdown form: its text stays.

    def convert_b(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"b", "strong"} or "\n\n" in text:
            return text
        return super().convert_b(el, text, parent_tags)

    def convert_em(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"em", "i"} or "\n\n" in text:
            return text
        return super().convert_em(el, text, parent_tags)

    def convert_del(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"del", "s", "strike"} or "\n\n" in text:
            return text
        return super().convert_del(el, text, parent_tags)

    def convert_sub(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return _raw_inline("sub", el, parent_tags)

    def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return _raw_inline("sup", el, parent_tags)

    convert_strong = convert_b
    convert_i = convert_em
    convert_s = convert_del
    convert_strike = convert_del
    convert_tt = convert_code
    convert_address = MarkdownConverter.convert_div
    convert_aside = MarkdownConverter.convert_div
    convert_center = MarkdownConverter.convert_div
    convert_details = MarkdownConverter.convert_div
    convert_fieldset = MarkdownConverter.convert_div
    convert_footer = MarkdownConverter.convert_div
    convert_header = MarkdownConverter.convert_div
    convert_hgroup = MarkdownConverter.convert_div
    convert_main = MarkdownConverter.convert_div
    convert_nav = MarkdownConverter.convert_div
    convert_summary = MarkdownConverter.convert_div


# Elements that continue a line: text after them is not at the start of one.
_INLINE_ELEMENTS = {
    "a", "abbr", "acronym", "b", "big", "cite", "code", "del", "dfn", "em", "font", "i", "img",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var",
}  # fmt: skip


def _starts_line(node: PageElement) -> bool:
    """Whether a text node may begin a line of the Markdown, where "# " or "1. " would start a
    heading or a list. When unsure, yes: escaping more is safe."""
    while True:
        previous = node.previous_sibling
        while isinstance(previous, NavigableString) and not previous.strip():
            previous = previous.previous_sibling
        if previous is None:
            parent = node.parent
            if parent is not None and parent.name in {"td", "th"}:
                return False  # a table cell is not a line
            if parent is None or parent.name not in _INLINE_ELEMENTS:
                return True
            node = parent
            continue
        return not (isinstance(previous, NavigableString) or previous.name in _INLINE_ELEMENTS)


def _raw_inline(tag: str, element: Tag, parent_tags: set[str]) -> str:
    """Sub- and superscripts, kept as HTML around their words only: Markdown inside them could
    pair with Markdown outside and leave the tags unbalanced."""
    words = " ".join(element.get_text().split())
    if not words or "_noformat" in parent_tags:
        return words
    return f"<{tag}>{_escape_inline(words)}</{tag}>"


# Elements whose Markdown puts their content at the start of a line, where the HTML block of a
# figure can begin. Inside any other (a table row, a link, emphasis), a figure is written inline.
_BLOCK_CONTAINERS = {
    "[document]", _ROOT, "address", "article", "aside", "blockquote", "center", "dd",
    "details", "div", "fieldset", "figure", "footer", "header", "li", "main", "nav", "p",
    "section",
}  # fmt: skip


def _in_blocks(element: Tag) -> bool:
    return all(parent.name in _BLOCK_CONTAINERS for parent in element.parents)


def _image_caption(figure: Tag) -> str | None:
    """For a figure holding one image (linked or not) and maybe a caption: the caption's text
    ("" without one). None for any other figure."""
    parts = [
        child
        for child in figure.children
        if isinstance(child, Tag) or (isinstance(child, NavigableString) and child.strip())
    ]
    captions = [part for part in parts if isinstance(part, Tag) and part.name == "figcaption"]
    others = [part for part in parts if all(part is not caption for caption in captions)]
    if len(captions) > 1 or len(others) != 1 or not _is_lone_image(others[0]):
        return None
    return " ".join(captions[0].get_text().split()) if captions else ""


def _is_lone_image(element: PageElement) -> bool:
    if not isinstance(element, Tag):
        return False
    if element.name == "img":
        return True
    return (
        element.name in {"a", "p", "div", "span", "picture"}
        and len(element.find_all("img")) == 1
        and not element.get_text(strip=True)
    )


def _code_language(pre: Tag) -> str:
    for element in (pre, pre.find("code")):
        if not isinstance(element, Tag):
            continue
        for name in element.get_attribute_list("class"):
            if name and name.startswith("language-") and re.fullmatch(r"[\w+#.-]+", name[9:]):
                return name[9:]
    return ""


# --- Tidying --------------------------------------------------------------------------------


def _tidy(markdown: str) -> str:
    """No trailing spaces, no line break ending a block, one blank line at most, one final
    newline. Code blocks keep their lines."""
    lines: list[str] = []
    code: list[bool] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        stripped = line.strip()
        in_code = fence is not None
        if fence is None and (opening := re.match(r"`{3,}", stripped)):
            fence = opening.group()
        elif fence is not None and stripped.startswith(fence) and not stripped.strip("`"):
            fence = None
        elif not in_code and _LINE_PREFIX.sub("", line) == "\\":  # a break with nothing before it
            continue
        lines.append(line.rstrip())
        code.append(in_code)
    out: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not code[index] and _ends_with_break(line):
            # No break at the end of a block, and no spaces before one.
            ending = "" if not _LINE_PREFIX.sub("", following) else "\\"
            line = line[:-1].rstrip() + ending
        if not line and not code[index] and (not out or not out[-1]):
            continue  # blank lines: one at most, none at the start
        out.append(line)
    text = "\n".join(out).strip("\n")
    return text + "\n" if text else ""


_LINE_PREFIX = re.compile(r"^[\s>]*")  # indentation and blockquote markers


def _ends_with_break(line: str) -> bool:
    """Whether a line ends with a hard line break, an odd run of backslashes."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


# --- Plain text -----------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """The text of an HTML fragment, with a space where a block or line break was."""

    _SKIPPED: ClassVar[set[str]] = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag in _BLOCK_TAGS or tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)
