"""report-tracker: archive and change tracker for Chinese local-government annual reports."""

__version__ = "0.1.0"
