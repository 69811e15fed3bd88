"""The HTTP API: routes, error mapping, caching headers."""
