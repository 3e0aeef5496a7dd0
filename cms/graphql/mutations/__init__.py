"""Mutations: each declares its permission, validates, calls a service, maps the result."""
