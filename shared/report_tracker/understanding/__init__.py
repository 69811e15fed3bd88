"""Understanding: sections, items, figures and metadata of a clean report."""
