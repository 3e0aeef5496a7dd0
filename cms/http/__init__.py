"""HTTP plumbing around the GraphQL view: authentication, middleware, the request's shared
state, caching, JSON error responses."""
