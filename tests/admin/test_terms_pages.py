"""Categories and tags in the web app: created with a name per locale, renamed, deleted, each
with its count of published posts; a category in use is kept, with the server's reason."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from cms.models import (
    Author,
    AuthorTranslation,
    Category,
    CategoryTranslation,
    Organizer,
    OrganizerTranslation,
    Role,
    Tag,
    TagTranslation,
    Venue,
)
from tests.admin.conftest import AdminApp, announced
from tests.admin.test_accessibility import check_screen
from tests.factories import make_author, make_category, make_event, make_post

pytestmark = pytest.mark.server


async def test_a_category_is_created_in_two_locales_renamed_and_kept_while_used(
    admin: AdminApp,
) -> None:
    used = await make_category({"fr-CA": "Réseautage", "en-CA": "Networking"})
    await make_post(category=used)
    page = await admin.page(await admin.writer(Role.EDITOR), "/admin/")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Categories").click()
    await expect(page.get_by_role("heading", level=1, name="Categories")).to_be_focused()
    await expect(page.get_by_role("region", name="Networking")).to_contain_text(
        "1 published post(s)"
    )

    new = page.get_by_role("form", name="New category")
    await new.get_by_label("Name (French (Canada))").fill("Événements")
    await new.get_by_label("Name (English (Canada))").fill("Events")
    await check_screen(page)
    await page.get_by_role("button", name="Create category").click()
    await announced(page, "Category “Events” created.")
    created = page.get_by_role("region", name="Events")
    await expect(created).to_contain_text("/evenements")
    await expect(created).to_contain_text("0 published post(s)")

    await created.get_by_role("button", name="Rename: Events").click()
    await created.get_by_label("Name (English (Canada))").fill("Meetups")
    await created.get_by_label("Slug (English (Canada))").fill("meetups")
    await created.get_by_role("button", name="Save").click()
    await announced(page, "Category “Meetups” saved.")
    renamed = await CategoryTranslation.get(locale="en-CA", name="Meetups")
    assert renamed.slug == "meetups"

    networking = page.get_by_role("region", name="Networking")
    await networking.get_by_role("button", name="Delete: Networking").click()
    await (
        page.get_by_role("dialog", name="Delete this category?")
        .get_by_role("button", name="Delete")
        .click()
    )
    await expect(page.locator("#announce-alert")).to_contain_text(re.compile("post", re.I))
    assert await Category.filter(id=used.id).exists()

    meetups = page.get_by_role("region", name="Meetups")
    await meetups.get_by_role("button", name="Delete: Meetups").click()
    await (
        page.get_by_role("dialog", name="Delete this category?")
        .get_by_role("button", name="Delete")
        .click()
    )
    await announced(page, "Category “Meetups” deleted.")
    assert not await Category.filter(id=renamed.category_id).exists()


async def test_a_tag_in_one_locale_and_one_without_a_name_refused(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(Role.EDITOR), "/admin/tags", locale="fr-CA")
    await expect(page.get_by_role("heading", level=1, name="Étiquettes")).to_be_visible()

    await page.get_by_role("button", name="Créer l’étiquette").click()
    await expect(page.get_by_role("alert").filter(has_text="au moins une langue")).to_be_visible()
    assert await Tag.all().count() == 0

    await (
        page.get_by_role("form", name="Nouvelle étiquette")
        .get_by_label("Nom (Français (Canada))")
        .fill("Gratuit")
    )
    await page.get_by_role("button", name="Créer l’étiquette").click()
    await announced(page, "Étiquette « Gratuit » créée.")
    (translation,) = await TagTranslation.all()
    assert (translation.locale, translation.name, translation.slug) == (
        "fr-CA",
        "Gratuit",
        "gratuit",
    )


async def test_authors_see_no_taxonomy_pages(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(Role.AUTHOR), "/admin/")
    nav = page.get_by_role("navigation", name="Main")
    await expect(nav.get_by_role("link", name="Media")).to_be_visible()
    await expect(nav.get_by_role("link", name="Categories")).to_have_count(0)
    await expect(nav.get_by_role("link", name="Tags")).to_have_count(0)


async def test_an_author_gets_a_biography_per_locale_and_is_kept_while_signing_posts(
    admin: AdminApp,
) -> None:
    signing = await make_author("Marc Côté")
    await make_post(author=signing)
    page = await admin.page(await admin.writer(Role.EDITOR), "/admin/authors")

    new = page.get_by_role("form", name="New author")
    await new.get_by_label("Name", exact=True).fill("Léa Gagnon")
    await new.get_by_label("Biography (French (Canada))").fill("Elle anime les mardis.")
    await check_screen(page)
    await new.get_by_role("button", name="Create author").click()
    await announced(page, "Author “Léa Gagnon” created.")
    lea = page.get_by_role("region", name="Léa Gagnon")
    await expect(lea).to_contain_text("/lea-gagnon")
    await expect(lea).to_contain_text("Elle anime les mardis.")

    await lea.get_by_role("button", name="Edit: Léa Gagnon").click()
    english = lea.get_by_label("Biography (English (Canada))")
    await expect(english).to_have_value("")  # not the French one
    await english.fill("She hosts the Tuesday evenings.")
    await lea.get_by_role("button", name="Save").click()
    await announced(page, "Author “Léa Gagnon” saved.")
    bios = {t.locale: t.bio for t in await AuthorTranslation.filter(author__name="Léa Gagnon")}
    assert bios == {"fr-CA": "Elle anime les mardis.", "en-CA": "She hosts the Tuesday evenings."}

    marc = page.get_by_role("region", name="Marc Côté")
    await expect(marc).to_contain_text("1 published post(s)")
    await marc.get_by_role("button", name="Delete: Marc Côté").click()
    await (
        page.get_by_role("dialog", name="Delete this author?")
        .get_by_role("button", name="Delete")
        .click()
    )
    await expect(page.locator("#announce-alert")).to_contain_text(re.compile("post", re.I))
    assert await Author.filter(id=signing.id).exists()


async def test_a_venue_is_created_edited_and_kept_while_an_event_uses_it(admin: AdminApp) -> None:
    used = await Venue.create(name="Café Cinq", city="Montréal")
    await make_event(venue=used)
    page = await admin.page(await admin.writer(Role.EDITOR), "/admin/")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Venues").click()
    await expect(page.get_by_role("heading", level=1, name="Venues")).to_be_focused()

    new = page.get_by_role("form", name="New venue")
    await new.get_by_role("button", name="Create venue").click()
    await expect(new.get_by_label("City", exact=True)).to_have_attribute("aria-invalid", "true")
    await new.get_by_label("Name", exact=True).fill("Salle Wilfrid")
    await new.get_by_label("Address", exact=True).fill("1455, boul. De Maisonneuve O.")
    await new.get_by_label("City", exact=True).fill("Montréal")
    await new.get_by_label("Province or state", exact=True).fill("QC")
    await check_screen(page)
    await new.get_by_role("button", name="Create venue").click()
    await announced(page, "Venue “Salle Wilfrid” created.")
    salle = page.get_by_role("region", name="Salle Wilfrid")
    await expect(salle).to_contain_text("1455, boul. De Maisonneuve O., Montréal, QC, CA")

    await salle.get_by_role("button", name="Edit: Salle Wilfrid").click()
    await salle.get_by_label("City", exact=True).fill("Toronto")
    await salle.get_by_role("button", name="Save").click()
    await announced(page, "Venue “Salle Wilfrid” saved.")
    assert (await Venue.get(name="Salle Wilfrid")).city == "Toronto"

    cafe = page.get_by_role("region", name="Café Cinq")
    await cafe.get_by_role("button", name="Delete: Café Cinq").click()
    await (
        page.get_by_role("dialog", name="Delete this venue?")
        .get_by_role("button", name="Delete")
        .click()
    )
    await expect(page.locator("#announce-alert")).to_contain_text(re.compile("event", re.I))
    assert await Venue.filter(id=used.id).exists()


async def test_an_organizer_is_named_in_each_locale_and_kept_while_an_event_names_it(
    admin: AdminApp,
) -> None:
    used = await Organizer.create(website="https://reseau.example")
    await OrganizerTranslation.create(organizer=used, locale="fr-CA", name="Réseau 5 à 7")
    await make_event(organizer=used)
    page = await admin.page(await admin.writer(Role.EDITOR), "/admin/")
    nav = page.get_by_role("navigation", name="Main")
    await nav.get_by_role("link", name="Organizers").click()
    await expect(page.get_by_role("heading", level=1, name="Organizers")).to_be_focused()

    new = page.get_by_role("form", name="New organizer")
    await new.get_by_role("button", name="Create organizer").click()
    await expect(new.get_by_label("Name (French (Canada))")).to_have_attribute(
        "aria-invalid", "true"
    )
    await new.get_by_label("Name (French (Canada))").fill("Chambre de commerce du Plateau")
    await new.get_by_label("Name (English (Canada))").fill("Plateau Chamber of Commerce")
    await new.get_by_label("Description (English (Canada))").fill("Monthly breakfasts.")
    await new.get_by_label("Website").fill("https://chambre-plateau.example")
    await new.get_by_label("Social links").fill("https://www.facebook.com/chambreplateau")
    await check_screen(page)
    await new.get_by_role("button", name="Create organizer").click()
    await announced(page, "Organizer “Plateau Chamber of Commerce” created.")
    created = await Organizer.get(website="https://chambre-plateau.example")
    assert created.social_links == [
        {"network": "facebook", "url": "https://www.facebook.com/chambreplateau"}
    ]
    names = {
        t.locale: (t.name, t.description)
        for t in await OrganizerTranslation.filter(organizer=created)
    }
    assert names == {
        "fr-CA": ("Chambre de commerce du Plateau", ""),
        "en-CA": ("Plateau Chamber of Commerce", "Monthly breakfasts."),
    }

    # Each locale's field shows what is written in it, never a fallback.
    card = page.get_by_role("region", name="Réseau 5 à 7")
    await card.get_by_role("button", name="Edit: Réseau 5 à 7").click()
    await expect(card.get_by_label("Name (French (Canada))")).to_have_value("Réseau 5 à 7")
    await expect(card.get_by_label("Name (English (Canada))")).to_have_value("")
    await card.get_by_label("Name (English (Canada))").fill("5-to-7 Network")
    await card.get_by_role("button", name="Save").click()
    await announced(page, "Organizer “5-to-7 Network” saved.")
    assert await OrganizerTranslation.filter(organizer=used, locale="en-CA").count() == 1

    card = page.get_by_role("region", name="5-to-7 Network")
    await card.get_by_role("button", name="Delete: 5-to-7 Network").click()
    await (
        page.get_by_role("dialog", name="Delete this organizer?")
        .get_by_role("button", name="Delete")
        .click()
    )
    await expect(page.locator("#announce-alert")).to_contain_text("1 event(s) use this organizer.")
    assert await Organizer.filter(id=used.id).exists()

    plateau = page.get_by_role("region", name="Plateau Chamber of Commerce")
    await plateau.get_by_role("button", name="Delete: Plateau Chamber of Commerce").click()
    await (
        page.get_by_role("dialog", name="Delete this organizer?")
        .get_by_role("button", name="Delete")
        .click()
    )
    await announced(page, "Organizer “Plateau Chamber of Commerce” deleted.")
    assert not await Organizer.filter(id=created.id).exists()
