"""GraphQL types for redirects."""

from __future__ import annotations

import strawberry

from cms.services.redirects import Resolved


@strawberry.type(
    description="Where an old address of the site leads now. Answer with `status` and "
    "`Location: url`."
)
class Redirect:
    path: str = strawberry.field(
        description="The old address as kept: decoded, without a trailing slash, with only "
        "the query parameters that name content (`/?p=123`)."
    )
    target: str = strawberry.field(
        description="Where it leads: a path of the public site (the current address of a post, "
        "category or tag, which follows its slug) or an absolute address. Empty for 410."
    )
    url: str = strawberry.field(
        description="`target` as an absolute, percent-encoded address, for the `Location` "
        "header. Empty for 410."
    )
    status: int = strawberry.field(
        description="301 or 308 (moved for good), 302 or 307 (for now), 410 (gone: answer "
        "without a Location)."
    )

    @classmethod
    def build(cls, resolved: Resolved) -> Redirect:
        return cls(
            path=resolved.path,
            target=resolved.target,
            url=resolved.url,
            status=resolved.status,
        )
