"""Reading: bytes to text (decode, document formats) and text to canonical clean text."""
