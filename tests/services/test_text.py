import pytest

from cms.services.text import slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Réseautage : l’art de l’inattendu", "reseautage-lart-de-linattendu"),
        ("Mêlez l'utile à l'agréable", "melez-lutile-a-lagreable"),
        ("Cœur & âme — Montréal 2026!", "coeur-ame-montreal-2026"),
        ("  --Déjà vu--  ", "deja-vu"),
        ("Ça va?", "ca-va"),
    ],
)
def test_slugify_folds_accents_and_elisions(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_is_bounded_and_never_ends_with_a_hyphen() -> None:
    slug = slugify("mot " * 50, max_length=22)
    assert len(slug) <= 22
    assert not slug.endswith("-")
