"""The Flask model: a read-only picture of one file's apps, routes, config writes and values."""

from .flask_file import FlaskFile

__all__ = ["FlaskFile"]
