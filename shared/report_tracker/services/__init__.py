"""Services: the logic between handlers and data access."""
