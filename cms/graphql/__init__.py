"""The GraphQL API: schema, per-request context, limits and one package per domain."""
