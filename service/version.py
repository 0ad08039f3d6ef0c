"""The service's version, importable without Flask, spaCy or the app."""

__version__ = "0.1.0"
