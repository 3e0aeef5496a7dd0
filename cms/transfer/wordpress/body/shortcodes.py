"""Shortcodes: ``[caption]`` as a figure, shortcodes giving a URL as a link, the rest dropped
or, when they wrap text, giving their text back; square brackets that are prose stay.
"""

from __future__ import annotations

import html
import re

from cms.transfer.wordpress.body.embeds import embed_note, provider
from cms.transfer.wordpress.body.notes import Notes
from cms.transfer.wordpress.body.protected import Protected
from cms.transfer.wordpress.body.urls import is_web_url

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


def shortcodes(text: str, notes: Notes) -> str:
    """Expand or remove the shortcodes of ``text`` (not those inside tags, code or pre)."""
    if "[" not in text:
        return text
    protected = Protected(text, ("pre", "code", "script", "style", "textarea"))
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
    protected = Protected(text, ("pre", "code", "script", "style", "textarea"))
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


def _expand(name: str, raw_attrs: str, content: str | None, notes: Notes) -> tuple[str, bool]:
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
        elif lowered == "embed" or provider(url):
            notes.add(embed_note(url))
        else:
            notes.add(f"kept the shortcode [{name}] as a link: {url}")
        escaped = html.escape(url)
        return f'<a href="{escaped}">{escaped}</a>', False
    if content is not None and lowered not in {"embed", "audio", "video"}:
        notes.add(f"removed the shortcode [{name}] and kept the text it wrapped")
        return shortcodes(content, notes), False
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
    return next((url for url in candidates if is_web_url(url)), None)


def _caption(attrs: dict[str, str], content: str, notes: Notes) -> str:
    """``[caption]<img …> Caption text[/caption]`` (or ``caption="…"``) as a figure."""
    parts = _CAPTION_PARTS.match(content)
    if parts is None:  # no image: keep what it wrapped
        notes.add("removed a [caption] shortcode that held no image and kept its text")
        return shortcodes(content, notes)
    image, caption = parts.group(1), parts.group(2)
    caption = attrs.get("caption", caption)
    caption = shortcodes(caption, notes).strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{image}{figcaption}</figure>"


def strip_shortcode_tags(text: str) -> str:
    """Text without its shortcode tags; what they wrap stays."""
    enclosing = {name.lower() for name in re.findall(r"\[/([A-Za-z][\w-]*)\]", text)}

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if _is_shortcode(name, match["attrs"], name.lower() in enclosing):
            return ""
        return match.group()

    return _SHORTCODE_CLOSER.sub("", _SHORTCODE.sub(replace, text))
