"""Posts: types, queries, mutations and the resolvers that build them."""
