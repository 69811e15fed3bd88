"""One module per resource, each a ``router(services)`` that the app includes."""
