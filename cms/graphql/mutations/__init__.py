"""Mutations: each declares its permission, parses its arguments, calls a service, and
answers through :func:`cms.graphql.mutations.payloads.run`.

They hold no rule of who may do what to which object and touch no model: the services check
the caller's rights inside the transaction of the write itself, and their refusals become the
mutation's own payload like any other error the caller can fix.
"""
