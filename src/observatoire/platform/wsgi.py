"""WSGI entry point for production servers (gunicorn observatoire.platform.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.platform.settings")
application = get_wsgi_application()
