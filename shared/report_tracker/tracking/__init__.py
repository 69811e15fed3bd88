"""Tracking: commitments checked against the next report, recurring problems, figures, reuse."""
