"""The embedded local stack: moto on 127.0.0.1 wired like template.yaml, a queue dispatcher and an HTTP server."""
