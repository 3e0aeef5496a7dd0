"""The query frontends ask when a request matches no page: was it an address of the old site?"""

from __future__ import annotations

import strawberry

from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.redirects.types import Redirect
from cms.services import redirects as service


@strawberry.type
class RedirectQueries:
    @strawberry.field(
        description="Where an old address of the site leads now; null when it leads nowhere. "
        "Answer with `status` and `Location: url`. `path` is the request's path and query "
        "(or a whole URL), as the frontend received it."
    )
    async def redirect(self, info: Info, path: str) -> Redirect | None:
        try:
            resolved = await service.resolve(path, info.context.settings)
        except service.InvalidRedirect as error:
            raise BadUserInput(error.message, field="path") from None
        return None if resolved is None else Redirect.build(resolved)
