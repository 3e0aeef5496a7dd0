"""HTTP plumbing around the GraphQL view: middleware, health probes, JSON error responses."""
