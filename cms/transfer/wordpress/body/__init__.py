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

from dataclasses import dataclass

from cms.transfer.wordpress.body.escape import escape_inline
from cms.transfer.wordpress.body.markdown import Converter, MediaLookup
from cms.transfer.wordpress.body.notes import Notes
from cms.transfer.wordpress.body.plain import plain_excerpt
from cms.transfer.wordpress.body.tidy import tidy
from cms.transfer.wordpress.body.tree import image_source, prepare


@dataclass(frozen=True)
class ConvertedBody:
    markdown: str
    notes: tuple[str, ...]


def convert(content: str, media_id: MediaLookup) -> ConvertedBody:
    """Convert a post body; ``media_id(url)`` gives the Cinq media id of an image URL as it
    appears in the post (None: not imported, the image keeps its old URL and a note says so)."""
    notes = Notes()
    root = prepare(content, notes)
    try:
        markdown = Converter(media_id, notes).convert_soup(root)
    except RecursionError:  # HTML nested thousands deep: keep the words
        notes.add("the post's HTML is nested too deeply to convert: kept its text only")
        markdown = "\n\n".join(
            escape_inline(" ".join(line.split()))
            for line in root.get_text("\n").split("\n\n")
            if line.strip()
        )
    return ConvertedBody(markdown=tidy(markdown), notes=notes.lines())


def referenced_images(content: str) -> list[str]:
    """The image URLs a post body uses (img src, in order, deduplicated), so the importer can
    bring the media in before converting.

    They are the URLs `convert` will ask ``media_id`` about, exactly as written in the post
    (possibly relative); images in dropped blocks or inline ``data:`` images are left out.
    """
    found: dict[str, None] = {}
    for image in prepare(content, Notes()).find_all("img"):
        source = image_source(image)
        if source and image.find_parent("pre") is None:
            found.setdefault(source)
    return list(found)


__all__ = ["ConvertedBody", "MediaLookup", "convert", "plain_excerpt", "referenced_images"]
