"""The HTTP surface: the GraphQL endpoint, image files and the health check."""
