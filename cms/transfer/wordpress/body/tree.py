"""The post as the HTML tree markdownify reads: rendered as WordPress would (blocks, or
classic content with its paragraphs), parsed, and cleaned of what has no Markdown form.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bs4 import BeautifulSoup, CData, Comment, NavigableString, Tag
from bs4.element import Declaration, Doctype, ProcessingInstruction

from cms.transfer.wordpress.body.autop import classic
from cms.transfer.wordpress.body.blocks import parse_blocks, render_blocks
from cms.transfer.wordpress.body.embeds import embed_note
from cms.transfer.wordpress.body.notes import Notes
from cms.transfer.wordpress.body.urls import is_web_url

ROOT = "cinq-post"


def prepare(content: str, notes: Notes) -> Tag:
    """The post as WordPress would show it, parsed and cleaned, ready for markdownify."""
    text = content.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    if "<!-- wp:" in text:
        markup = render_blocks(parse_blocks(text), notes)
    else:
        markup = classic(text, notes)
    # The wrapper is an element no post closes (a stray </div> must not end the post early),
    # and keeps BeautifulSoup from taking a lone URL for a file name.
    root = BeautifulSoup(f"<{ROOT}>{markup}</{ROOT}>", "html.parser").find(ROOT)
    assert isinstance(root, Tag)
    _clean(root, notes)
    return root


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


def _clean(root: Tag, notes: Notes) -> None:
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


def _media_link(element: Tag, notes: Notes) -> None:
    """A video, audio or embedded frame as a link to what it played."""
    kind = _MEDIA_KINDS[element.name]
    sources = [element.get("src")] + [source.get("src") for source in element.find_all("source")]
    url = next((str(src).strip() for src in sources if src and is_web_url(str(src).strip())), "")
    if not url:
        notes.add(f"dropped an embedded {kind} with no web address")
        element.decompose()
        return
    notes.add(embed_note(url) if kind == "embed" else f"kept the {kind} as a link: {url}")
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
    source = urlsplit(image_source(image) or "")
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


def image_source(image: Tag) -> str | None:
    """The address of an image as written, looking past lazy-loading placeholders."""
    for attribute in ("src", "data-lazy-src", "data-src", "data-orig-file"):
        value = str(image.get(attribute) or "").strip()
        if value and not value.lower().startswith("data:"):
            return value
    return None
