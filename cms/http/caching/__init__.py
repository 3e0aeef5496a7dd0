"""HTTP caching: what clients, CDNs and this process may keep, and for how long.

- :mod:`.policy`: whether an answer is public (a strong ETag, ``Cache-Control`` a CDN can
  follow) or private (``no-store``), and the 304 of a client that holds it already;
- :mod:`.store` and :mod:`.middleware`: the process's response cache, the ASGI layer that
  replays kept public answers (GraphQL, feeds, sitemaps, calendars) until the next write.

Validators (strong ETags, ``If-None-Match``) are :mod:`cms.http.conditional`'s. It sits here,
under :mod:`cms.http`, because none of it depends on GraphQL: the GraphQL view, the feeds and
the calendars each say which of their answers are public, through the request's
:class:`~cms.http.state.RequestState`, and this package does the rest.
"""
