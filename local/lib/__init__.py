"""Helpers for the course notebooks. Import them as ``from local.lib import mlutils``."""
