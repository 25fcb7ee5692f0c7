"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from claimkit.web import create_app

app = create_app()
