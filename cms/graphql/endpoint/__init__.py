"""The GraphQL endpoint's concerns, one module each, wired together by
:class:`cms.graphql.view.GraphQLView`.

- :mod:`.exchange`: the request class that carries what the view learns between Strawberry's
  hooks;
- :mod:`.decoding`: what JSON a request may hold (UTF-8, nesting depth, an object);
- :mod:`.operations`: what a request's members must be, and no subscription over HTTP;
- :mod:`.uploads`: multipart requests (the preflight header, the caller's right to upload
  before a byte is read, streaming to storage);
- :mod:`.responses`: GraphQL-over-HTTP media types and statuses, and masked errors' codes;
- :mod:`.websocket`: sockets carry subscriptions only, from allowed origins, for a caller.

Persisted queries are :mod:`cms.graphql.persisted`'s, and HTTP caching
:mod:`cms.http.caching`'s.
"""
