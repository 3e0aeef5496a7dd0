"""Full-text search over published posts and events."""
