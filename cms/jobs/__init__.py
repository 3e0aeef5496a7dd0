"""Durable background jobs: a table, a claim, a worker loop in the app."""
