"""Chinese notices to typed, queryable records."""
__version__ = "0.1.0"
