"""Reading WordPress exports: our bilingual sample, WordPress's own test files, hostile files."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cms.transfer.wordpress import wxr
from cms.transfer.wordpress.wxr import WxrError, WxrTerm, WxrTermRef
from tests.transfer.samples import IMPORTER, WORDPRESS_EXPORT


def _importer_sample(name: str) -> wxr.WxrExport:
    return wxr.read(IMPORTER / name)


def _export(channel: str, version: str = "1.2") -> bytes:
    """A small export around ``channel``'s own elements."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/{version}/">
<channel>
<title>Small</title>
<wp:wxr_version>{version}</wp:wxr_version>
{channel}
</channel>
</rss>
""".encode()


# --- Our sample -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> wxr.WxrExport:
    return wxr.read(WORDPRESS_EXPORT)


def _item(export: wxr.WxrExport, post_id: int) -> wxr.WxrItem:
    return next(item for item in export.items if item.post_id == post_id)


def test_the_sample_site(sample: wxr.WxrExport) -> None:
    assert sample.version == "1.2"
    assert sample.title == "MONTREAL 5A7"
    assert sample.link == "https://montreal5a7.example"
    assert sample.language == "fr-FR"
    assert sample.base_site_url == sample.base_blog_url == "https://montreal5a7.example"
    assert [(author.id, author.login, author.display_name) for author in sample.authors] == [
        (2, "claire", "Claire Dubé"),
        (3, "sam", "Sam Okafor"),
    ]
    assert sample.authors[0].email == "claire@montreal5a7.example"
    assert (sample.authors[0].first_name, sample.authors[0].last_name) == ("Claire", "Dubé")


def test_the_sample_terms(sample: wxr.WxrExport) -> None:
    by_slug = {term.slug: term for term in sample.terms}
    assert by_slug["blogue"] == WxrTerm(
        id=4, taxonomy="category", slug="blogue", name="Blogue", parent=None, description=""
    )
    assert by_slug["conseils"].parent == "blogue"
    assert by_slug["reseautage"].taxonomy == "post_tag"
    assert by_slug["reseautage"].name == "réseautage"
    # Written "qu%c3%a9bec" in the file.
    assert by_slug["québec"] == WxrTerm(
        id=9, taxonomy="post_tag", slug="québec", name="Québec", parent=None, description=""
    )
    assert Counter(term.taxonomy for term in sample.terms) == {
        "category": 3,
        "post_tag": 3,
        "language": 2,
        "term_translations": 2,
        "post_translations": 1,
    }


def test_the_sample_polylang_data_reads_as_php_arrays(sample: wxr.WxrExport) -> None:
    languages = {
        term.slug: wxr.php_array(term.description)
        for term in sample.terms
        if term.taxonomy == "language"
    }
    assert languages == {
        "fr": {"locale": "fr_CA", "rtl": 0, "flag_code": "ca"},
        "en": {"locale": "en_CA", "rtl": 0, "flag_code": "ca"},
    }
    groups = [
        wxr.php_array(term.description)
        for term in sample.terms
        if term.taxonomy in {"post_translations", "term_translations"}
    ]
    assert groups == [{"fr": 4, "en": 5}, {"fr": 7, "en": 8}, {"fr": 101, "en": 102}]


def test_the_sample_items(sample: wxr.WxrExport) -> None:
    assert [(item.post_id, item.post_type, item.status) for item in sample.items] == [
        (300, "attachment", "inherit"),
        (101, "post", "publish"),
        (102, "post", "publish"),
        (103, "post", "draft"),
        (104, "post", "pending"),
        (200, "page", "publish"),
    ]


def test_the_classic_french_post(sample: wxr.WxrExport) -> None:
    post = _item(sample, 101)
    assert post.title == "8. réseautage : L’art de l’inattendu"
    assert post.slug == "8-reseautage-lart-de-linattendu"
    assert post.link == "https://montreal5a7.example/2019/05/14/8-reseautage-lart-de-linattendu/"
    assert post.guid == "https://montreal5a7.example/?p=101"
    assert post.creator == "claire"
    assert post.date == datetime(2019, 5, 14, 14, 2, 11)  # the site's wall time
    assert post.date_gmt == datetime(2019, 5, 14, 18, 2, 11, tzinfo=UTC)
    assert (post.parent_id, post.menu_order, post.sticky, post.password) == (0, 0, False, "")
    # The body exactly as written: no paragraphs, shortcodes and all.
    assert post.content.startswith("Lorsqu’on vient au Québec, que l’on souhaite")
    assert "\n\nOr, quand on dispose" in post.content
    assert '[caption id="attachment_300" align="aligncenter" width="1024"]<img' in post.content
    assert post.content.endswith("<strong>saisissez-les!</strong>\n\n[jetpack_share_buttons]")
    assert post.excerpt.startswith("Planifier ses rencontres, oui.")
    assert post.terms == (
        WxrTermRef("category", "blogue", "Blogue"),
        WxrTermRef("category", "conseils", "Conseils"),
        WxrTermRef("post_tag", "reseautage", "réseautage"),
        WxrTermRef("post_tag", "québec", "Québec"),
        WxrTermRef("language", "fr", "Français"),
        WxrTermRef("post_translations", "pll_5cdb1d9e3c0f4", "pll_5cdb1d9e3c0f4"),
    )
    assert post.meta == {
        "_thumbnail_id": ["300"],
        "_wp_old_slug": ["reseautage-lart-de-linattendu"],
        "jetpack_publicize_message": [""],
    }
    assert post.meta_value("_thumbnail_id") == "300"
    assert post.meta_value("_edit_lock") is None
    assert [(comment.id, comment.approved, comment.type) for comment in post.comments] == [
        (17, "1", "comment")
    ]


def test_the_block_editor_post_keeps_its_block_comments(sample: wxr.WxrExport) -> None:
    post = _item(sample, 102)
    assert post.content.startswith("<!-- wp:paragraph -->\n<p>When you come to Québec")
    assert post.content.endswith("<!-- wp:jetpack/related-posts /-->")
    assert post.date_gmt == datetime(2019, 5, 16, 15, 30, tzinfo=UTC)


def test_drafts_have_no_gmt_date_and_may_have_no_slug(sample: wxr.WxrExport) -> None:
    draft, pending = _item(sample, 103), _item(sample, 104)
    assert draft.slug == ""
    assert draft.date == datetime(2019, 6, 2, 10, 0)
    assert draft.date_gmt is None  # 0000-00-00 00:00:00 in the file
    assert pending.slug == "10-le-5-a-7-mode-demploi"
    assert pending.date_gmt is None


def test_the_attachment(sample: wxr.WxrExport) -> None:
    attachment = _item(sample, 300)
    assert attachment.attachment_url == (
        "https://montreal5a7.example/wp-content/uploads/2019/05/soiree-reseautage.jpg"
    )
    assert attachment.parent_id == 101
    assert attachment.meta_value("_wp_attachment_image_alt") == (
        "Des participants discutent autour d’une table haute"
    )
    assert attachment.meta_value("_wp_attached_file") == "2019/05/soiree-reseautage.jpg"


# --- WordPress's own test files, read as its tests expect -----------------------------------


def test_wxr_1_1() -> None:
    export = _importer_sample("valid-wxr-1.1.xml")
    assert export.version == "1.1"
    assert export.base_site_url == "http://localhost/"
    (john,) = export.authors
    assert (john.id, john.login, john.email) == (2, "john", "johndoe@example.org")
    assert (john.display_name, john.first_name, john.last_name) == ("John Doe", "John", "Doe")
    assert export.terms == (
        WxrTerm(3, "category", "alpha", "alpha", None, "The alpha category"),
        WxrTerm(22, "post_tag", "clippable", "Clippable", None, "The Clippable post_tag"),
        WxrTerm(40, "post_tax", "bieup", "bieup", None, "The bieup post_tax"),
    )
    first, second = export.items
    assert first.terms == (
        WxrTermRef("category", "alpha", "alpha"),
        WxrTermRef("post_tag", "clippable", "Clippable"),
        WxrTermRef("post_tax", "bieup", "bieup"),
    )
    assert second.meta == {"_wp_page_template": ["default"]}


def test_wxr_1_0() -> None:
    export = _importer_sample("valid-wxr-1.0.xml")
    assert export.version == "1.0"
    assert export.base_site_url == "http://localhost/"
    categories = [term for term in export.terms if term.taxonomy == "category"]
    tags = [term for term in export.terms if term.taxonomy == "post_tag"]
    alpha = categories[0]
    assert (alpha.slug, alpha.name, alpha.parent) == ("alpha", "alpha", None)
    assert categories[0].description == "The alpha category"
    assert categories[0].id is None  # WXR 1.0 wrote no term ids
    assert next(term for term in categories if term.slug == "child").parent == "parent"
    assert (tags[0].slug, tags[0].name) == ("chicken", "chicken")
    assert len(export.items) == 6
    # WXR 1.0 also wrote bare <category>Name</category>, and tags as domain="tag".
    assert export.items[0].terms == (WxrTermRef("category", "uncategorized", "Uncategorized"),)
    assert export.items[2].terms == (
        WxrTermRef("category", "alpha", "alpha"),
        WxrTermRef("post_tag", "news", "news"),
        WxrTermRef("post_tag", "roar", "roar"),
    )
    assert export.items[1].meta == {"_wp_page_template": ["default"]}


def test_small_export() -> None:
    export = _importer_sample("small-export.xml")
    assert [author.login for author in export.authors] == ["admin", "editor", "author"]
    editor = export.authors[1]
    assert (editor.email, editor.first_name, editor.last_name) == (
        "editor@example.org",
        "FirstName",
        "LastName",
    )
    assert Counter(term.taxonomy for term in export.terms) == {"category": 30, "post_tag": 3}
    by_slug = {term.slug: term for term in export.terms}
    assert by_slug["foo"].parent is None
    assert by_slug["foo-bar"].parent == "bar"
    assert Counter((item.post_type, item.status) for item in export.items) == {
        ("post", "publish"): 5,
        ("post", "private"): 1,
        ("page", "publish"): 4,
        ("page", "draft"): 1,
    }
    assert sum(len(item.comments) for item in export.items) == 1
    items = {item.title: item for item in export.items}
    assert items["Draft Page"].slug == ""
    assert items["Child Page"].parent_id == items["Parent Page"].post_id
    assert items["Hello world!"].creator == "author"
    assert len([ref for ref in items["Many Categories"].terms if ref.taxonomy == "category"]) == 27
    assert [ref.slug for ref in items["Private Post"].terms if ref.taxonomy == "post_tag"] == [
        "tag1",
        "tag2",
        "tag3",
    ]
    assert items["1-col page"].meta_value("_wp_page_template") == "onecolumn-page.php"


def test_wxr_simple() -> None:
    export = _importer_sample("wxr-simple.xml")
    assert export.version == "1.2"
    assert export.base_site_url == export.base_blog_url == "https://playground.internal/path"
    (admin,) = export.authors
    assert (admin.id, admin.login, admin.email) == (1, "admin", "admin@localhost.com")
    (post,) = export.items
    assert post.post_id == 10
    assert post.title == '"The Road Not Taken" by Robert Frost'
    assert (post.post_type, post.slug, post.status) == ("post", "hello-world", "publish")
    assert "\n\n" in post.content  # blank lines survive


def test_term_formats() -> None:
    export = _importer_sample("term-formats.xml")
    assert export.base_site_url == "http://localhost/"
    assert export.authors == ()
    assert export.items == ()
    assert Counter(term.taxonomy for term in export.terms) == {
        "category": 2,
        "post_tag": 3,
        "custom-taxonomy": 1,
        "nav_menu": 1,
    }
    assert export.terms[2] == WxrTerm(3, "post_tag", "a-tag", "A Tag!", None, "")
    assert export.terms[5].id == 6  # written <![CDATA[6]]>


def test_theme_unit_test_data() -> None:
    export = _importer_sample("theme-unit-test-data.xml")
    assert export.version == "1.2"  # in the https:// namespace WordPress.com writes
    assert len(export.items) == 186
    assert [author.login for author in export.authors] == ["themedemos", "themereviewteam"]
    assert Counter(item.post_type for item in export.items) == {
        "nav_menu_item": 70,
        "post": 58,
        "attachment": 37,
        "page": 21,
    }
    child = next(term for term in export.terms if term.slug == "child-category-01")
    assert child.parent == "parent-category"


def test_utf8_challenges_come_through_unchanged() -> None:
    export = _importer_sample("wxr-utf-8-challenges.xml")
    (post,) = export.items
    assert post.title == (
        '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    )
    assert post.slug == "hello-w\u202eorld\u202c-utf8-💫-test"
    assert post.guid == (
        "https://playground.internal/path/🚀/\u202etsop\u202c/?p=1&test=💫\u200c\u200b\u200d\u200e"
    )
    assert "𝓣𝓮𝓼𝓽 𝓜𝓾𝓵𝓽𝓲-𝓑𝔂𝓽𝓮: 🚀🌟💫⭐️🔥💯🎉🎊🌈🦄" in post.content
    assert "السلام عليكم وﷲ" in post.content
    assert post.excerpt.endswith("\u200c\u200b\u200d\u200e")
    assert len(post.meta) == 5
    assert post.meta["_pingme\u200c\u200b\u200d\u200e"] == ["1\u200b\u200d\u200c\u200e"]
    assert post.meta["_utf8_test"] == [
        "🚀 Test with 𝔻𝕠𝕦𝕓𝕝𝕖 𝔖𝔱𝔯𝔲𝔠𝔨: ℍ𝔢𝔩𝔩𝔬 \u202eolleH\u202c 𝖂𝖔𝖗𝖫𝖉! "
    ]
    # Inside CDATA, character references are text.
    assert post.meta["_special_chars"] == [
        "&#x202E;&#x202D;&#x200B;&#x200C;&#x200D;&#x2060;&#xFEFF;&#xFFFD;"
    ]
    (category,) = post.terms
    assert (category.taxonomy, category.slug) == ("category", "uncat\u202eegorized\u202c")
    (author,) = export.authors
    assert author.login == "admin\u200c\u200b\u200d\u200e"
    assert author.email == "ădmĩn@ℓocalhost.com"
    assert author.first_name == "🅰️"
    assert author.last_name == "&#x1F1FA;&#x1F1F8;𝕌𝕟𝕚𝕔𝕠𝕕𝕖"


def test_escaped_cdata_ends() -> None:
    (post,) = _importer_sample("crazy-cdata-escaped.xml").items
    assert post.content == "Content with nested <![CDATA[ tags ]]> :)"
    assert post.meta == {
        "Plain string": ["Foo"],
        "Closing CDATA": ["]]>"],
        "Alot of CDATA": [
            "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"
        ],
    }


def test_unescaped_cdata_ends_of_older_exporters_are_read_to_their_element_end() -> None:
    export = _importer_sample("crazy-cdata.xml")
    (post,) = export.items
    # What WordPress's importer reads from this file.
    assert post.content == "Content with nested <![CDATA[ tags ]]> :)"
    assert post.meta == {
        "Plain string": ["Foo"],
        "Closing CDATA": ["]]>"],
        "Alot of CDATA": [
            "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"
        ],
    }
    assert export.notes == (
        "read 3 CDATA sections holding an unescaped “]]>”, as older exporters wrote them, to "
        "the end of their element",
    )
    assert _importer_sample("crazy-cdata-escaped.xml").notes == ()


def test_a_stray_cdata_end_anywhere_else_is_refused() -> None:
    # The CDATA does not run to the end of its element: there is no exact reading.
    broken = _export(
        "<item><wp:post_id>1</wp:post_id>\n"
        "<wp:meta_value><![CDATA[a]]> then ]]> </wp:meta_value></item>"
    )
    with pytest.raises(WxrError) as refused:
        wxr.parse_bytes(broken)
    assert str(refused.value) == (
        "export, line 11, column 37: “]]>” outside a CDATA section: a CDATA section ends too early"
    )


def test_slashes_are_kept() -> None:
    export = _importer_sample("slashes.xml")
    assert [term.name for term in export.terms] == ['a \\"great\\" category', "foo\\'bar"]
    (post,) = export.items
    assert post.content == 'Slashes aren\\\'t \\"cool\\"'
    assert post.terms == (WxrTermRef("category", "alpha", 'a \\"great\\" category'),)


def test_namespaces_count_not_prefixes() -> None:
    export = _importer_sample("namespace-edge-cases.xml")
    # The wp: prefix rebound to example.com does not count; the 1.1 namespace under
    # another prefix does; a custom namespace does not.
    assert [(author.id, author.login) for author in export.authors] == [
        (2, "real_user"),
        (3, "version_conflict"),
    ]
    assert [(item.title, item.post_id, item.post_type) for item in export.items] == [
        ("Mixed Namespaces", 999, "post"),  # wp:post_id 1, then alt:post_id 999: the last wins
        ("No Prefix", 2, "post"),  # post_id in the default namespace
        ("Empty Namespace", 3, "post"),
        ("Unicode Namespace", 4, "post"),
        ("Hijacked Namespace", 0, ""),  # its wp: is another namespace: no id, no type
        ("Namespace Bomb", 6, "post"),
    ]
    assert export.items[0].meta == {"normal_key": ["normal_value"]}
    assert export.items[4].meta == {}
    assert export.items[5].content == "&lol1;" * 10  # text, never an entity
    assert [(term.id, term.slug) for term in export.terms] == [
        (100, "old-version"),
        (102, "new-version"),
    ]


# --- Refused files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.xml", "malformed.xml, line 90, column 3: mismatched tag"),
        (
            "malformed-simple.xml",
            "malformed-simple.xml, line 14, column 1: the file ends before its elements are "
            "closed: is it complete?",
        ),
        (
            "invalid-version-tag.xml",
            "invalid-version-tag.xml: unknown WXR version “abc”: we read versions 1.0, 1.1, 1.2",
        ),
        (
            "missing-version-tag.xml",
            "missing-version-tag.xml: not a WordPress export: it has no WXR version "
            "(wp:wxr_version)",
        ),
    ],
)
def test_broken_and_invalid_files_are_refused(name: str, message: str) -> None:
    with pytest.raises(WxrError) as refused:
        wxr.read(IMPORTER / name)
    assert str(refused.value) == message


def test_an_entity_bomb_is_refused_before_any_expansion() -> None:
    entities = "\n".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    bomb = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n{entities}\n]>\n'
        "<rss><channel><title>&lol9;</title></channel></rss>"
    ).encode()
    started = time.monotonic()
    with pytest.raises(WxrError) as refused:
        wxr.parse_bytes(bomb, "bomb.xml")
    assert time.monotonic() - started < 1
    assert str(refused.value).startswith(
        "bomb.xml, line 2: refused the document type declaration (<!DOCTYPE rss>)"
    )


def test_an_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    for target in ("file:///etc/passwd", secret.as_uri()):
        hostile = _export("<item><title>&xxe;</title><wp:post_id>1</wp:post_id></item>").replace(
            b"<rss", f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>\n<rss'.encode(), 1
        )
        with pytest.raises(WxrError, match="refused the document type declaration") as refused:
            wxr.parse_bytes(hostile, "hostile.xml")
        assert "secret" not in str(refused.value)
        assert "root:" not in str(refused.value)


def test_any_doctype_is_refused() -> None:
    plain = _export("").replace(b"<rss", b"<!DOCTYPE rss>\n<rss", 1)
    with pytest.raises(WxrError, match=r"^export, line 2: refused the document type"):
        wxr.parse_bytes(plain)


def test_an_undeclared_entity_names_its_line() -> None:
    with pytest.raises(WxrError, match=r"^export, line 10, column 8: undefined entity$"):
        wxr.parse_bytes(_export("<title>&nbsp;</title>"))


def test_a_file_that_is_not_rss_is_refused() -> None:
    with pytest.raises(WxrError, match="the document is <feed>, not <rss>"):
        wxr.parse_bytes(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    with pytest.raises(WxrError, match="<rss> has no <channel>"):
        wxr.parse_bytes(b'<rss version="2.0"></rss>')


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(WxrError, match=r"^empty\.xml, line 1, column 1: the file ends"):
        wxr.parse_bytes(b"", "empty.xml")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WxrError, match=r"^gone\.xml: cannot read the file"):
        wxr.read(tmp_path / "gone.xml")


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_reads(version: str) -> None:
    export = wxr.parse_bytes(
        _export(
            "<item><title>Hi</title><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>"
            "<excerpt:encoded>Short</excerpt:encoded></item>",
            version,
        )
    )
    assert export.version == version
    (item,) = export.items
    assert (item.post_id, item.post_type, item.excerpt) == (7, "post", "Short")


@pytest.mark.parametrize("version", ["1.3", "2.0", "", "1.2.1"])
def test_unknown_versions_are_refused(version: str) -> None:
    with pytest.raises(WxrError, match="unknown WXR version"):
        wxr.parse_bytes(_export("", "1.2").replace(b">1.2</wp:wxr", f">{version}</wp:wxr".encode()))


def test_a_date_that_is_not_one_is_refused() -> None:
    broken = _export(
        "<item><title>Later</title><wp:post_id>7</wp:post_id>"
        "<wp:post_date>2019-13-45 25:00:00</wp:post_date></item>"
    )
    with pytest.raises(WxrError) as refused:
        wxr.parse_bytes(broken)
    assert str(refused.value) == (
        "export: item “Later”: wp:post_date is “2019-13-45 25:00:00”, not a date"
    )


def test_an_id_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(WxrError, match="wp:post_id is “seven”, not a number"):
        wxr.parse_bytes(_export("<item><wp:post_id>seven</wp:post_id></item>"))


def test_dates_zero_and_missing() -> None:
    export = wxr.parse_bytes(
        _export(
            "<item><wp:post_id>7</wp:post_id><wp:post_date>0000-00-00 00:00:00</wp:post_date>"
            "</item>"
        )
    )
    (item,) = export.items
    assert (item.date, item.date_gmt) == (None, None)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("qu%c3%a9bec", "québec"),
        ("QU%C3%89BEC", "QUÉBEC"),
        ("e%cc%81te", "\u00e9te"),  # e + combining accent, composed
        ("caf%e9", "caf%e9"),  # not UTF-8: kept as written
        ("plain", "plain"),
    ],
)
def test_slugs_are_decoded(written: str, read: str) -> None:
    export = wxr.parse_bytes(
        _export(
            f"<wp:tag><wp:tag_slug>{written}</wp:tag_slug><wp:tag_name>N</wp:tag_name></wp:tag>"
            f"<item><wp:post_id>1</wp:post_id><wp:post_name>{written}</wp:post_name>"
            f'<category domain="post_tag" nicename="{written}">N</category></item>'
        )
    )
    assert export.terms[0].slug == read
    assert export.items[0].slug == read
    assert export.items[0].terms[0].slug == read


# --- PHP arrays -----------------------------------------------------------------------------


def test_php_array_reads_polylang_groups() -> None:
    assert wxr.php_array('a:2:{s:2:"fr";i:12;s:2:"en";i:34;}') == {"fr": 12, "en": 34}


def test_php_array_reads_nested_arrays_and_utf8_lengths() -> None:
    text = 'a:2:{s:4:"name";s:7:"Québec";s:5:"sizes";a:2:{i:0;s:5:"small";i:1;b:1;}}'
    assert wxr.php_array(text) == {"name": "Québec", "sizes": {"0": "small", "1": True}}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain text",
        'a:1:{s:2:"fr";i:12;',  # cut short
        'a:1:{s:2:"fr";i:12;}trailing',
        's:2:"fr";',  # a string, not an array
        'a:1:{s:1:"o";O:8:"stdClass":0:{}}',  # an object: never built
        "a:1:{a:0:{}i:1;}",  # an array as a key
        "a:1:{" * 5000,
    ],
)
def test_php_array_refuses_anything_else(text: str) -> None:
    assert wxr.php_array(text) == {}
