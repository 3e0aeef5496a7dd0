"""Posts: types, queries and the resolvers that build them."""
