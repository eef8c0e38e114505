"""partnergraph: Leiden University's partnerships as evidence-backed linked data."""

__version__ = "0.1.0"
