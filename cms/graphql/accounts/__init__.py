"""Accounts and API tokens (administrators), and preview links."""
