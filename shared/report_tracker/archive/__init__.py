"""Archive logic: version diffs."""
