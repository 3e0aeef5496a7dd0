"""Embeds: what WordPress would have embedded (a URL alone on its line or in its paragraph,
a provider's address), kept as a link, and the note naming the provider.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from cms.transfer.wordpress.body.notes import Notes
from cms.transfer.wordpress.body.protected import Protected

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


def provider(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    while host:
        if host in _PROVIDER_HOSTS:
            return _PROVIDER_HOSTS[host]
        host = host.partition(".")[2]
    return None


def embed_note(url: str, slug: str = "") -> str:
    name = _PROVIDERS.get(slug) or _PROVIDERS.get(provider(url) or "") or slug.title()
    return f"kept the {name} embed as a link: {url}" if name else f"kept the embed as a link: {url}"


def embeds(text: str, notes: Notes) -> str:
    """Links for URLs alone on their line or in their paragraph, which WordPress embeds."""
    if "http" not in text:
        return text
    protected = Protected(text, ("a", "pre", "code", "script", "style", "textarea"))

    def link(match: re.Match[str], group: int) -> str:
        if protected.covers(match.start(group)):
            return match.group()
        url = match.group(group)
        notes.add(embed_note(html.unescape(url)))
        return (
            match.group()[: match.start(group) - match.start()]
            + f'<a href="{url}">{url}</a>'
            + match.group()[match.end(group) - match.start() :]
        )

    text = _URL_PARAGRAPH.sub(lambda match: link(match, 2), text)
    protected = Protected(text, ("a", "pre", "code", "script", "style", "textarea"))
    return _URL_LINE.sub(lambda match: link(match, 1), text)
