"""WordPress post bodies to our Markdown: what a reader of the imported post gets."""

from __future__ import annotations

import html
import re
import zlib
from pathlib import Path

import pytest

from cms.services.markdown import render
from cms.transfer.wordpress import wxr
from cms.transfer.wordpress.body import ConvertedBody, convert, plain_excerpt, referenced_images
from tests.transfer.samples import ALL_READABLE_SAMPLES, WORDPRESS_EXPORT, sanitizer_objections

LARGE_IMAGE = (
    "https://montreal5a7.example/wp-content/uploads/2019/05/soiree-reseautage-1024x683.jpg"
)


def _no_media(url: str) -> int | None:
    return None


def _converted(content: str, media: dict[str, int] | None = None) -> ConvertedBody:
    converted = convert(content, (media or {}).get)
    assert sanitizer_objections(converted.markdown) == []
    return converted


def _markdown(content: str, media: dict[str, int] | None = None) -> str:
    return _converted(content, media).markdown


def _html(content: str, media: dict[str, int] | None = None) -> str:
    return render(_markdown(content, media)).html


# --- The sample posts -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_posts() -> dict[int, wxr.WxrItem]:
    return {item.post_id: item for item in wxr.read(WORDPRESS_EXPORT).items}


def test_the_classic_french_post(sample_posts: dict[int, wxr.WxrItem]) -> None:
    asked: list[str] = []

    def media_id(url: str) -> int | None:
        asked.append(url)
        return 300 if url == LARGE_IMAGE else None

    converted = convert(sample_posts[101].content, media_id)
    assert converted.markdown == (
        "Lorsqu’on vient au Québec, que l’on souhaite simplement voyager ou sonder un marché qui "
        "nous intéresse, il y a l’art et la manière…\n"
        "\n"
        "Or, quand on dispose de peu de temps, il s’agit d’utiliser ce dernier à bon escient. Il "
        "n’y a pas de recette miracle : il faut réaliser un travail important *en amont* pour "
        "comprendre le mode de fonctionnement du Québec.\n"
        "\n"
        "<figure>\n"
        "\n"
        "![Des participants discutent autour d’une table haute](media:300)\n"
        "\n"
        "<figcaption>Une soirée de réseautage dans le Vieux-Montréal</figcaption>\n"
        "</figure>\n"
        "\n"
        "## Un autre tourisme d’affaires\n"
        "\n"
        "Une recherche sur Internet, un coup de téléphone, rendez-vous est pris.\\\n"
        "Deux rendez-vous, trois, six. Votre semaine au Québec va être bien remplie.\n"
        "\n"
        "## Ouvrez le champ de vos rencontres\n"
        "\n"
        "Il y a deux types de rencontres : celles que vous provoquez et celles qui vous "
        "provoquent.\n"
        "\n"
        "- les évènements ciblés;\n"
        "- les rencontres organisées;\n"
        "- les salons.\n"
        "\n"
        "Prenons par exemple le groupe [JAM Networking / Réseautage]"
        "(https://www.facebook.com/groups/jamnetworking/). Des rendez-vous réguliers, gratuits, "
        "et dans une ambiance décontractée.\n"
        "\n"
        "Les occasions ne manquent pas : **saisissez-les!**\n"
    )
    assert asked == [LARGE_IMAGE]
    assert converted.notes == ("dropped the shortcode [jetpack_share_buttons]",)
    assert sanitizer_objections(converted.markdown) == []


def test_what_a_reader_of_the_french_post_sees(sample_posts: dict[int, wxr.WxrItem]) -> None:
    body = render(convert(sample_posts[101].content, {LARGE_IMAGE: 300}.get).markdown)
    assert [heading.text for heading in body.headings] == [
        "Un autre tourisme d’affaires",
        "Ouvrez le champ de vos rencontres",
    ]
    assert (
        '<cinq-media data-id="300" alt="Des participants discutent autour d’une table haute">'
        in body.html
    )
    assert "<figcaption>Une soirée de réseautage dans le Vieux-Montréal</figcaption>" in body.html
    assert "<li>les rencontres organisées;</li>" in body.html
    assert "<em>en amont</em>" in body.html
    assert "<strong>saisissez-les!</strong>" in body.html
    assert "rendez-vous est pris.<br>\nDeux rendez-vous" in body.html
    assert "jetpack" not in body.html
    assert "[" not in body.text


def test_the_block_editor_english_post(sample_posts: dict[int, wxr.WxrItem]) -> None:
    converted = convert(sample_posts[102].content, {LARGE_IMAGE: 300}.get)
    assert converted.markdown == (
        "When you come to Québec, whether simply to travel or to test a market, there is an art "
        "to it…\n"
        "\n"
        "<figure>\n"
        "\n"
        "![Guests talking around a high table](media:300)\n"
        "\n"
        "<figcaption>A networking evening in Old Montreal</figcaption>\n"
        "</figure>\n"
        "\n"
        "## Another kind of business trip\n"
        "\n"
        "An online search, a phone call, and the meeting is set. Two meetings, three, six: your "
        "week in Québec will be *full*.\n"
        "\n"
        "## Widen the circle\n"
        "\n"
        "- targeted events;\n"
        "- organised meetups;\n"
        "- trade fairs.\n"
        "\n"
        "> There are meetings you make happen, and meetings that happen to you.\n"
        "\n"
        "Take the [JAM Networking](https://www.facebook.com/groups/jamnetworking/) group: "
        "regular, free and relaxed.\n"
        "\n"
        "<https://www.youtube.com/watch?v=aaaaaaaaaaa>\n"
    )
    assert converted.notes == (
        "kept the YouTube embed as a link: https://www.youtube.com/watch?v=aaaaaaaaaaa",
        "dropped the Jetpack block jetpack/sharing-buttons",
        "dropped the Jetpack block jetpack/related-posts",
    )


def test_the_sample_images_to_bring_in(sample_posts: dict[int, wxr.WxrItem]) -> None:
    assert referenced_images(sample_posts[101].content) == [LARGE_IMAGE]
    assert referenced_images(sample_posts[102].content) == [LARGE_IMAGE]
    assert referenced_images(sample_posts[104].content) == []


def test_images_not_imported_keep_their_address_with_a_note(
    sample_posts: dict[int, wxr.WxrItem],
) -> None:
    converted = _converted(sample_posts[102].content)
    assert f"![Guests talking around a high table]({LARGE_IMAGE})" in converted.markdown
    assert f"left an image pointing at its old address: {LARGE_IMAGE}" in converted.notes


def test_the_drafts(sample_posts: dict[int, wxr.WxrItem]) -> None:
    assert _markdown(sample_posts[103].content) == (
        "Des soirées rassemblant un public international, sous le thème de la pratique libre "
        "des langues étrangères.\n"
    )
    assert _markdown(sample_posts[104].content) == (
        "Arrivez tôt, repartez avec trois noms.\n\nEt une carte d’affaires de moins.\n"
    )


# --- Every post of every sample -------------------------------------------------------------


def _some_media(url: str) -> int | None:
    """Ids for about half the images, so both kinds of image are converted."""
    checksum = zlib.crc32(url.encode())
    return checksum % 9000 + 1 if checksum % 2 else None


def _outside_code(markdown: str) -> str:
    without_blocks = re.sub(r"^( *)(`{3,}).*?^\1\2$", "(code)", markdown, flags=re.M | re.S)
    return re.sub(r"(`+).+?\1", "(code)", without_blocks)


_SHORTCODE_TEXT = re.compile(
    r"\[/?(caption|wp_caption|gallery|embed|audio|video|playlist|jetpack_\w+)\b"
)


@pytest.mark.parametrize("path", ALL_READABLE_SAMPLES, ids=lambda path: path.name)
def test_every_post_converts_to_markdown_our_sanitizer_keeps_whole(path: Path) -> None:
    for item in wxr.read(path).items:
        asked: list[str] = []

        def media_id(url: str, asked: list[str] = asked) -> int | None:
            asked.append(url)
            return _some_media(url)

        converted = convert(item.content, media_id)
        markdown = converted.markdown
        where = f"{path.name}, item {item.post_id}"
        assert sanitizer_objections(markdown) == [], where
        render(markdown)
        # Tidy: one final newline, no trailing spaces, one blank line at most (code aside).
        assert markdown == "" or (markdown.endswith("\n") and not markdown.startswith("\n")), where
        assert all(line == line.rstrip() for line in markdown.split("\n")), where
        assert "\n\n\n" not in _outside_code(markdown), where
        assert not _SHORTCODE_TEXT.search(_outside_code(markdown)), where
        # The importer brings in exactly the images the conversion asks about.
        assert list(dict.fromkeys(asked)) == referenced_images(item.content), where


def test_the_theme_test_posts_come_out_readable() -> None:
    items = {item.post_id: item for item in wxr.read(_theme_unit_test_data()).items}
    tags = convert(items[1178].content, _no_media).markdown  # "Markup: HTML Tags and Formatting"
    assert "# Header one\n\n## Header two\n" in tags
    assert "| [John Doe](http://example.org/) | $1 |" in tags
    assert "8. List item one -start at 8\n   1. List item one\n" in tags
    assert "This tag shows **bold text.**" in tags  # <strong>bold<strong> text.</strong></strong>
    assert "H<sub>2</sub>O" in tags
    assert "```\n.post-title {\n\tmargin: 0 0 5px;\n" in tags  # <code> holding lines
    assert "This tag will let you ~~strike out text~~" in tags
    widgets = convert(items[1736].content, _no_media)  # "Block category: Widgets"
    assert "The Archive Widget:\n\nThe same Archive widget" in widgets.markdown
    assert "dropped the block core/latest-posts, which has no content of its own (3 times)" in (
        widgets.notes
    )
    assert 'dropped the gallery shortcode [gallery columns=2 ids="770,771"]' in widgets.notes
    embeds = convert(items[1738].content, _no_media)  # "Block category: Embeds"
    assert "<https://youtu.be/ex8fMxXJDJw>\n\nYouTube\n" in embeds.markdown
    assert "kept the Twitter embed as a link: https://twitter.com/WordPress/status/" in (
        "\n".join(embeds.notes)
    )


def _theme_unit_test_data() -> Path:
    return next(path for path in ALL_READABLE_SAMPLES if path.name == "theme-unit-test-data.xml")


# --- Classic content: paragraphs and line breaks --------------------------------------------


def test_blank_lines_make_paragraphs_and_single_ones_line_breaks() -> None:
    assert _markdown("First line\nsecond line.\n\nAnother paragraph.") == (
        "First line\\\nsecond line.\n\nAnother paragraph.\n"
    )
    assert _html("First line\nsecond line.") == "<p>First line<br>\nsecond line.</p>\n"


def test_block_elements_stand_on_their_own() -> None:
    content = "Intro\n<h2>Title</h2>\nText after\n<ul>\n\t<li>one\nstill one</li>\n</ul>\nEnd"
    assert _markdown(content) == (
        "Intro\n\n## Title\n\nText after\n\n- one\\\n  still one\n\nEnd\n"
    )


def test_a_blockquote_gets_its_paragraph() -> None:
    rendered = _html("<blockquote>Stay hungry.\nStay foolish.</blockquote>")
    assert rendered == "<blockquote>\n<p>Stay hungry.<br>\nStay foolish.</p>\n</blockquote>\n"


def test_preformatted_text_is_left_alone() -> None:
    assert _markdown("Before\n<pre>one\n\n  two</pre>\nAfter") == (
        "Before\n\n```\none\n\n  two\n```\n\nAfter\n"
    )


def test_line_breaks_inside_a_tag_are_not_line_breaks() -> None:
    markdown = _markdown('A <a\nhref="https://example.com/"\ntitle="x">link</a> here')
    assert markdown == "A [link](https://example.com/) here\n"


def test_two_br_make_a_new_paragraph() -> None:
    assert _markdown("One<br /><br />Two") == "One\n\nTwo\n"


def test_text_glued_to_a_div_stays_in_it() -> None:
    assert _markdown("<div>In the div\n\nsecond part</div>") == "In the div\n\nsecond part\n"


def test_empty_and_blank_bodies() -> None:
    assert convert("", _no_media) == ConvertedBody(markdown="", notes=())
    assert convert("  \n\n <p>&nbsp;</p>\n", _no_media).markdown == ""


# --- Shortcodes -----------------------------------------------------------------------------


def test_a_caption_becomes_a_figure() -> None:
    content = (
        '[caption id="attachment_7" align="alignright" width="300"]<img src="https://example.com'
        '/wp-content/uploads/cat.jpg" alt="A cat" /> Tom &amp; Jerry <b>&lt;3</b>[/caption]'
    )
    media = {"https://example.com/wp-content/uploads/cat.jpg": 7}
    assert _markdown(content, media) == (
        "<figure>\n\n![A cat](media:7)\n\n<figcaption>Tom &amp; Jerry &lt;3</figcaption>\n"
        "</figure>\n"
    )
    assert "<figcaption>Tom &amp; Jerry &lt;3</figcaption>" in _html(content, media)


def test_an_older_caption_attribute_and_a_linked_image() -> None:
    content = (
        '<p>[caption id="" align="alignnone" width="300" caption="Said the cat"]'
        '<a href="https://example.com/wp-content/uploads/cat.jpg"><img '
        'src="https://example.com/wp-content/uploads/cat-300x200.jpg" alt="Cat" /></a>'
        "[/caption]</p>"
    )
    media = {"https://example.com/wp-content/uploads/cat-300x200.jpg": 9}
    assert _markdown(content, media) == (
        "<figure>\n\n![Cat](media:9)\n\n<figcaption>Said the cat</figcaption>\n</figure>\n"
    )


def test_embeds_become_links() -> None:
    converted = _converted(
        "[embed]https://vimeo.com/123[/embed]\n\nhttps://www.youtube.com/watch?v=abc\n\n"
        "Look at https://example.com in a sentence."
    )
    assert converted.markdown == (
        "<https://vimeo.com/123>\n\n<https://www.youtube.com/watch?v=abc>\n\n"
        "Look at https://example.com in a sentence.\n"
    )
    assert converted.notes == (
        "kept the Vimeo embed as a link: https://vimeo.com/123",
        "kept the YouTube embed as a link: https://www.youtube.com/watch?v=abc",
    )


def test_shortcodes_we_cannot_convert() -> None:
    converted = _converted(
        'Gallery: [gallery ids="1,2"]\n\n[box color="red"]Boxed text[/box] [my_widget]\n\n'
        '[youtube https://www.youtube.com/watch?v=zzz] [audio mp3="https://example.com/a.mp3"]'
        "[/audio]\n\n[jetpack_share_buttons]"
    )
    assert converted.markdown == (
        "Gallery:\n\nBoxed text\n\n<https://www.youtube.com/watch?v=zzz> "
        "<https://example.com/a.mp3>\n"
    )
    assert converted.notes == (
        'dropped the gallery shortcode [gallery ids="1,2"]',
        "removed the shortcode [box] and kept the text it wrapped",
        "dropped the shortcode [my_widget]",
        "kept the YouTube embed as a link: https://www.youtube.com/watch?v=zzz",
        "kept the audio as a link: https://example.com/a.mp3",
        "dropped the shortcode [jetpack_share_buttons]",
    )


def test_brackets_that_are_not_shortcodes_stay() -> None:
    converted = _converted(
        "He said [sic] it was a [co-founder] thing. Show [[gallery]] and "
        "<code>[caption]</code>, no stray [/caption]."
    )
    assert converted.notes == ()
    body = render(converted.markdown)
    assert body.text == (
        "He said [sic] it was a [co-founder] thing. Show [gallery] and [caption], no stray ."
    )


# --- Blocks ---------------------------------------------------------------------------------


def test_blocks_of_no_use_here_are_dropped_and_unknown_ones_keep_their_content() -> None:
    converted = _converted(
        "<!-- wp:paragraph --><p>Kept.</p><!-- /wp:paragraph -->\n"
        '<!-- wp:spacer {"height":"50px"} --><div style="height:50px" class="wp-block-spacer">'
        "</div><!-- /wp:spacer -->\n"
        '<!-- wp:latest-posts {"postsToShow":3} /-->\n'
        '<!-- wp:jetpack/like {"x":1} /-->\n'
        '<!-- wp:coblocks/alert --><div class="wp-block-coblocks-alert"><p>Careful!</p></div>'
        "<!-- /wp:coblocks/alert -->\n"
        '<!-- wp:block {"ref":12} /-->\n'
        '<!-- wp:columns --><div class="wp-block-columns"><!-- wp:column -->'
        '<div class="wp-block-column"><!-- wp:paragraph --><p>Left</p><!-- /wp:paragraph -->'
        '</div><!-- /wp:column --><!-- wp:column --><div class="wp-block-column">'
        "<!-- wp:paragraph --><p>Right</p><!-- /wp:paragraph --></div><!-- /wp:column -->"
        "</div><!-- /wp:columns -->"
    )
    assert converted.markdown == "Kept.\n\nCareful!\n\nLeft\n\nRight\n"
    assert converted.notes == (
        "dropped the block core/spacer",
        "dropped the block core/latest-posts, which has no content of its own",
        "dropped the Jetpack block jetpack/like",
        "kept the content of the block coblocks/alert",
        "dropped a reusable block (wp_block 12): its content is kept in another item of the export",
    )


def test_a_legacy_embed_block_keeps_its_caption() -> None:
    converted = _converted(
        '<!-- wp:core-embed/twitter {"url":"https://twitter.com/WordPress/status/1"} -->\n'
        '<figure class="wp-block-embed-twitter"><div class="wp-block-embed__wrapper">\n'
        "https://twitter.com/WordPress/status/1\n</div><figcaption>A tweet</figcaption>"
        "</figure>\n<!-- /wp:core-embed/twitter -->"
    )
    assert converted.markdown == "<https://twitter.com/WordPress/status/1>\n\nA tweet\n"
    assert converted.notes == (
        "kept the Twitter embed as a link: https://twitter.com/WordPress/status/1",
    )


def test_classic_text_between_blocks_gets_paragraphs() -> None:
    assert _markdown(
        "<!-- wp:heading --><h2>Title</h2><!-- /wp:heading -->\n\nOld text\nwith a break."
    ) == ("## Title\n\nOld text\\\nwith a break.\n")


def test_a_gallery_becomes_its_images() -> None:
    content = (
        '<!-- wp:gallery {"ids":[1,2]} --><figure class="wp-block-gallery"><ul class="blocks-'
        'gallery-grid"><li class="blocks-gallery-item"><figure><a href="https://example.com/'
        'wp-content/uploads/one.jpg"><img src="https://example.com/wp-content/uploads/one.jpg" '
        'alt="One"/></a><figcaption>First</figcaption></figure></li><li class="blocks-gallery-'
        'item"><figure><img src="https://example.com/wp-content/uploads/two.jpg" alt="Two" '
        'data-link="https://example.com/?attachment_id=2"/></figure></li></ul>'
        '<figcaption class="blocks-gallery-caption">Both</figcaption></figure>'
        "<!-- /wp:gallery -->"
    )
    media = {
        "https://example.com/wp-content/uploads/one.jpg": 1,
        "https://example.com/wp-content/uploads/two.jpg": 2,
    }
    assert _markdown(content, media) == (
        "<figure>\n\n![One](media:1)\n\n<figcaption>First</figcaption>\n</figure>\n\n"
        "![Two](media:2)\n\nBoth\n"
    )


# --- HTML to Markdown -----------------------------------------------------------------------


def test_links_keep_only_addresses_our_renderer_allows() -> None:
    converted = _converted(
        '<a href="javascript:alert(1)">click</a> <a href="/relative/">rel</a> '
        '<a href="mailto:a@example.com">mail</a> <a href="tel:+15145550000">call</a> '
        '<a href="//example.com/x">proto</a> <a href="#top">top</a> '
        '<a href="https://example.com/a b(c)">odd</a>'
    )
    assert converted.markdown == (
        "click rel [mail](mailto:a@example.com) [call](tel:+15145550000) "
        "[proto](https://example.com/x) top [odd](https://example.com/a%20b\\(c\\))\n"
    )
    assert converted.notes == (
        "kept only the text of a link to javascript:alert(1)",
        "kept only the text of a link to /relative/",
    )


def test_text_that_looks_like_markdown_or_html_stays_text() -> None:
    content = (
        "<p>&lt;b&gt;bold?&lt;/b&gt; 5 * 3, [link](javascript:x) &amp;copy; _under_ a_b "
        "`tick` ~~no~~ \\o/</p><p># not a heading</p><p>1. not a list</p>"
        "<p>- not a bullet</p><p>&gt; not a quote</p><p>===</p>"
    )
    body = render(_markdown(content))
    assert body.html.count("<p>") == 6
    assert "<b>" not in body.html and "<a" not in body.html and "&amp;copy;" in body.html
    assert body.text.split("\n\n") == [
        "<b>bold?</b> 5 * 3, [link](javascript:x) &copy; _under_ a_b `tick` ~~no~~ \\o/",
        "# not a heading",
        "1. not a list",
        "- not a bullet",
        "> not a quote",
        "===",
    ]


def test_what_markdown_cannot_hold_is_dropped_or_linked() -> None:
    converted = _converted(
        "<script>alert(1)</script><style>p{}</style>"
        '<iframe src="https://www.youtube.com/embed/xyz"></iframe>'
        '<p style="color:red" onclick="x()">Styled</p><form><input name="a"></form>'
        '<video controls src="https://example.com/v.mp4"></video><!--more-->Rest'
    )
    assert converted.markdown == (
        "<https://www.youtube.com/embed/xyz>\n\nStyled\n\n<https://example.com/v.mp4>\\\nRest\n"
    )
    assert converted.notes == (
        "dropped the “more” break (<!--more-->)",
        "dropped a script",
        "dropped a form",
        "kept the YouTube embed as a link: https://www.youtube.com/embed/xyz",
        "kept the video as a link: https://example.com/v.mp4",
    )


def test_images_without_a_web_address() -> None:
    content = (
        '<img src="data:image/gif;base64,R0lGOD" data-lazy-src="https://example.com/lazy.jpg" '
        'alt="lazy"> <img src="data:image/png;base64,AAAA" alt="inline"> '
        '<img src="/wp-content/uploads/rel.jpg" alt="relative">'
    )
    assert referenced_images(content) == [
        "https://example.com/lazy.jpg",
        "/wp-content/uploads/rel.jpg",
    ]
    converted = _converted(content, {"https://example.com/lazy.jpg": 4})
    assert converted.markdown == "![lazy](media:4)\n"
    assert converted.notes == (
        "dropped an image stored in the post itself (a data: URL)",
        "dropped an image that has no web address: /wp-content/uploads/rel.jpg",
    )
    # The importer may know a relative address, resolved against the old site.
    assert (
        _markdown(
            '<img src="/wp-content/uploads/rel.jpg" alt="relative">',
            {"/wp-content/uploads/rel.jpg": 5},
        )
        == "![relative](media:5)\n"
    )


def test_an_image_linking_elsewhere_keeps_its_link() -> None:
    assert (
        _markdown(
            '<a href="https://example.org/shop">'
            '<img src="https://example.com/ad.png" alt="Shop *now*"></a>',
            {"https://example.com/ad.png": 3},
        )
        == "[![Shop \\*now\\*](media:3)](https://example.org/shop)\n"
    )


def test_code_blocks_and_tables() -> None:
    content = (
        '<pre class="wp-block-code"><code class="language-python">print("```")\n</code></pre>'
        "<table><tr><td>a|b</td><td># c</td></tr></table>"
    )
    assert _markdown(content) == (
        '````python\nprint("```")\n````\n\n|  |  |\n| --- | --- |\n| a\\|b | # c |\n'
    )


def test_a_bad_media_id_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="is not a media id"):
        convert('<img src="https://example.com/a.jpg">', lambda url: 0)


def test_deep_nesting_keeps_the_words() -> None:
    converted = convert("<div>" * 3000 + "Deep words" + "</div>" * 3000, _no_media)
    assert converted.markdown == "Deep words\n"
    assert converted.notes == (
        "the post's HTML is nested too deeply to convert: kept its text only",
    )


# --- Excerpts -------------------------------------------------------------------------------


def test_plain_excerpt() -> None:
    assert (
        plain_excerpt(
            "<p>Planifier&nbsp;ses <em>rencontres</em>,</p>\n<p>oui.</p>"
            '[caption id="x"]<img src="a.jpg"> Une photo[/caption]<script>x()</script> [sic]'
        )
        == "Planifier\xa0ses rencontres, oui. Une photo [sic]"
    )
    assert plain_excerpt("") == ""
    assert plain_excerpt("https://example.com") == "https://example.com"


# --- Broken HTML ----------------------------------------------------------------------------


def test_a_stray_closing_tag_does_not_end_the_post() -> None:
    assert _markdown("<div>One</div>Two</div>\n\nThree") == "One\n\nTwo\n\nThree\n"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("a &lt;<span>b&gt;</span> c", "a <b> c"),  # "<" and "b>" in two text nodes
        ("<sup>up<p>and a paragraph</p></sup>", "and a paragraph"),
        ("<em>one<p>two</p></em>", "two"),
        (
            'text<li><figure><img src="https://example.com/i.jpg" alt="I">'
            "<figcaption>cap</figcaption></figure>",
            "cap",
        ),
        (
            '<a href="https://example.com/"><figure><img src="https://example.com/i.jpg" '
            'alt="I"><figcaption>cap</figcaption></figure></a>',
            "cap",
        ),
        ("<ul>stray text<li>item</li></ul>", "stray text"),
        (
            "<table><tr><figure><img src='https://example.com/i.jpg' alt='I'>"
            "<figcaption>cap</figcaption></figure></tr></table>",
            "cap",
        ),
    ],
)
def test_broken_html_still_renders_whole(content: str, words: str) -> None:
    rendered = _html(content, {"https://example.com/i.jpg": 1})  # no sanitizer objection
    assert words in html.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_text_split_across_elements_is_not_markup() -> None:
    body = render(_markdown("a &lt;<span>b&gt;</span> c"))
    assert body.html == "<p>a &lt;b&gt; c</p>\n"
