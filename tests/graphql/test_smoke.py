from tests.factories import make_post


async def test_posts_lists_a_published_post(gql) -> None:
    await make_post(translations={"fr-CA": {"title": "Bonjour", "slug": "bonjour"}})
    data = await gql.data("{ posts { totalCount edges { node { title slug } } } }")
    assert data["posts"]["totalCount"] == 1
    assert data["posts"]["edges"][0]["node"] == {"title": "Bonjour", "slug": "bonjour"}
