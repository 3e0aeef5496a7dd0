"""What every resolver receives: settings, the caller's visibility, per-request loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as StrawberryInfo

from cms.graphql.errors import BadUserInput
from cms.graphql.loaders import Loaders
from cms.settings import Settings


@dataclass
class Context:
    settings: Settings
    request: Any = None
    response: Any = None
    #: Anonymous readers see published content only. Authenticated previews relax this.
    published_only: bool = True
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(published_only=self.published_only)

    def chain(self, locale: str | None) -> tuple[str, ...]:
        """The fallback chain for a requested locale (the default locale when None)."""
        if locale is None:
            return self.settings.locale_chain(self.settings.default_locale)
        if locale not in self.settings.locales:
            known = ", ".join(self.settings.locales)
            raise BadUserInput(f"Unknown locale {locale!r}; use one of {known}.", field="locale")
        return self.settings.locale_chain(locale)

    def page_size(self, first: int) -> int:
        limit = self.settings.max_page_size
        if not 1 <= first <= limit:
            raise BadUserInput(
                f"'first' must be between 1 and {limit}, got {first}.", field="first"
            )
        return first


Info = StrawberryInfo[Context, None]
