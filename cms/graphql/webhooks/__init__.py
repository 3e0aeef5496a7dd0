"""Webhooks in the API: endpoints and their delivery log, for administrators."""
