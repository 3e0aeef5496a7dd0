"""Sending webhooks over HTTP: signatures, the address rules, the sender. No database here."""
