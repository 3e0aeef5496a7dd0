"""Domain operations shared by the GraphQL layer and the command line."""
