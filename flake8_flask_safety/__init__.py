"""flake8-flask-safety: catch the Flask mistakes that leak credentials and break apps in production."""

__version__ = "0.1.0"
