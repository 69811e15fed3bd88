"""The archive as data: one row per report, version, commitment, target, figure, problem and text."""
