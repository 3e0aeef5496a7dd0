"""Which translation another one follows, and whether it has fallen behind.

A post is first written in one locale, its *source*. Every other translation follows a
translation of the same post (the source, unless it names another) at a ``text_version``:
the version of that text the translator saw. Each save that changes a translation's text
(title, excerpt, body, SEO title or description) moves its ``text_version`` up by one, so a
translation is *outdated* exactly when the text it follows has moved past the version it
records; saving it with the source's new version brings it up to date. The source itself
follows nothing and is never outdated.

These are the rules as plain functions over rows; :mod:`cms.services.post_writing` applies them
when writing, :mod:`cms.services.posts` reports them (and repeats the outdated test in SQL for
list filters).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from cms.models import PostStatus, TranslationStatus
from cms.services.errors import ContentError

# The columns whose change moves a translation's text_version.
TEXT_FIELDS = ("title", "excerpt", "body", "seo_title", "seo_description")


class TranslationState(Enum):
    MISSING = "missing"
    DRAFT = "draft"
    PUBLISHED = "published"
    OUTDATED = "outdated"


@dataclass(frozen=True)
class Follows:
    """What a translation follows: another locale at a text version, or nothing."""

    locale: str | None = None
    version: int | None = None


NOTHING = Follows()


def first_source(locales: Sequence[str], default_locale: str | None) -> str:
    """The source of a new post written in ``locales`` (in the order given): the default
    locale when it is among them, else the first."""
    if default_locale is not None and default_locale in locales:
        return default_locale
    return locales[0]


def effective_source(
    source_locale: str | None, translations: Sequence[Mapping[str, Any]], default_locale: str | None
) -> str | None:
    """The post's source locale among its ``translations`` (rows with ``id`` and ``locale``).

    Posts written around the authoring service (fixtures) have none
    recorded: the rule a new post gets is applied to the translations it has, the oldest
    standing for the first given.
    """
    present = {t["locale"] for t in translations}
    if source_locale in present:
        return source_locale
    if not translations:
        return None
    if default_locale in present:
        return default_locale
    oldest: str = min(translations, key=lambda t: t["id"])["locale"]
    return oldest


def resolve(
    locale: str,
    post_source: str,
    versions: Mapping[str, int],
    asked_locale: str | None,
    asked_version: int | None,
    had: Follows | None,
) -> Follows:
    """What the translation in ``locale`` follows once saved.

    ``versions`` holds the current ``text_version`` of each translation of the post; ``had``
    is what the translation followed before this save (None for a new translation). Left
    out, the source is what it followed before (else the post's source), and the version is
    what it recorded before for that source (else the source's current version: a new
    translation is made from the text as it is now).
    """
    if locale == post_source:
        for field, asked in (("sourceLocale", asked_locale), ("sourceVersion", asked_version)):
            if asked is not None:
                raise ContentError(
                    field, "INVALID", f"{locale} is the post's source text: it follows no other."
                )
        return NOTHING
    previous = had.locale if had is not None and had.locale in versions else None
    source = asked_locale or previous or post_source
    if source == locale:
        raise ContentError("sourceLocale", "INVALID", "A translation cannot follow itself.")
    if source not in versions:
        raise ContentError(
            "sourceLocale", "INVALID", f"The post has no {source} translation to follow."
        )
    current = versions[source]
    if asked_version is not None:
        if not 1 <= asked_version <= current:
            raise ContentError(
                "sourceVersion",
                "INVALID",
                f"The {source} text is at version {current}: sourceVersion is from 1 to {current}.",
            )
        return Follows(source, asked_version)
    if had is not None and had.locale == source and had.version is not None:
        return Follows(source, min(had.version, current))
    return Follows(source, current)


def restored(
    saved: Mapping[str, Any],
    saved_versions: Mapping[str, int],
    post_source: str,
    versions: Mapping[str, int],
    had: Follows | None,
) -> Follows:
    """What a translation restored from a revision follows.

    ``saved`` is the translation in the revision's snapshot and ``saved_versions`` the text
    versions the snapshot recorded; ``versions`` the text versions once every translation is
    restored. The restored text follows the same source as then, and is as up to date with
    it as it was then: current if it was current (the source's text is restored too), behind
    if it was behind. Snapshots taken before sources were recorded are resolved as a save
    that names nothing.
    """
    locale, source = saved["locale"], saved.get("source_locale")
    version = saved.get("source_version")
    if locale == post_source or source is None or version is None:
        return resolve(locale, post_source, versions, None, None, had)
    if source == locale or source not in versions or source not in saved_versions:
        return resolve(locale, post_source, versions, None, None, had)
    if version >= saved_versions[source]:
        return Follows(source, versions[source])
    return Follows(source, min(version, versions[source] - 1))


def is_outdated(
    translation: Mapping[str, Any],
    post_source: str | None,
    by_locale: Mapping[str, Mapping[str, Any]],
) -> bool:
    """True when the text ``translation`` follows has changed since the version it records.

    The same test, in SQL, filters lists: :func:`cms.services.posts.translation_condition`.
    """
    source = translation["source_locale"]
    if source is None or translation["locale"] == post_source:
        return False
    followed = by_locale.get(source)
    version = translation["source_version"]
    return followed is not None and version is not None and followed["text_version"] > version


def is_live(translation: Mapping[str, Any], post_status: str) -> bool:
    """Readers see it: the post is published and so is this translation."""
    # Both are StrEnums: equal to the plain strings rows read with SQL hold.
    return (
        post_status == PostStatus.PUBLISHED and translation["status"] == TranslationStatus.PUBLISHED
    )


@dataclass(frozen=True)
class LocaleState:
    """One configured locale of a post, for the writers' overview."""

    locale: str
    state: TranslationState
    is_source: bool
    is_published: bool
    translation: Mapping[str, Any] | None


def locale_states(
    post: Mapping[str, Any],
    translations: Sequence[Mapping[str, Any]],
    locales: Sequence[str],
) -> list[LocaleState]:
    """Every locale of ``locales`` (the configured ones, in order) for ``post`` (a row with
    ``status`` and ``source_locale``) and all its ``translations``.

    Outdated wins over the publication state, which ``is_published`` still tells.
    """
    by_locale = {t["locale"]: t for t in translations}
    source = effective_source(post["source_locale"], translations, locales[0] if locales else None)
    states = []
    for locale in locales:
        row = by_locale.get(locale)
        if row is None:
            states.append(LocaleState(locale, TranslationState.MISSING, False, False, None))
            continue
        live = is_live(row, post["status"])
        if is_outdated(row, source, by_locale):
            state = TranslationState.OUTDATED
        else:
            state = TranslationState.PUBLISHED if live else TranslationState.DRAFT
        states.append(LocaleState(locale, state, locale == source, live, row))
    return states
