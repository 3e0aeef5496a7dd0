from cms.services.markdown import derived_fields, render

UNSAFE = """\
## Bienvenue

<script>alert("x")</script>

<a href="https://example.org" onclick="steal()">lien</a> et [piège](javascript:alert(1))
<img src="x" onerror="steal()"> <iframe src="https://evil.example"></iframe>
"""


def test_html_is_sanitized() -> None:
    html = render(UNSAFE).html
    assert "<script" not in html
    assert "onclick" not in html and "onerror" not in html
    assert 'href="javascript' not in html  # the markdown link stays inert text
    assert "<iframe" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">lien</a>' in html


def test_headings_get_unique_anchors_in_html_and_outline() -> None:
    body = render(
        "# Titre\n\n## Mêlez l'utile à l'agréable\n\ntexte\n\n## Mêlez l'utile à l'agréable\n"
    )
    assert [(h.level, h.anchor) for h in body.headings] == [
        (1, "titre"),
        (2, "melez-lutile-a-lagreable"),
        (2, "melez-lutile-a-lagreable-2"),
    ]
    assert '<h2 id="melez-lutile-a-lagreable-2">' in body.html


def test_plain_text_and_reading_time() -> None:
    words = " ".join(["mot"] * 460)
    body = render(f"## Titre\n\n**Un** [lien](https://x.example) {words}")
    assert body.text.startswith("Titre\n\nUn lien mot")
    assert body.word_count == 463
    assert body.reading_minutes == 3  # 463 words at 230 a minute, rounded up


def test_an_empty_body_takes_no_time_to_read() -> None:
    fields = derived_fields("")
    assert fields["reading_minutes"] == 0
    assert fields["body_html"] == ""
    assert fields["headings"] == []
