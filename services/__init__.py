"""Workflows on the database: load, check, change, commit. The one layer that commits."""
