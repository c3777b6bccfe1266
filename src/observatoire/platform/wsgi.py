"""WSGI entry point (gunicorn observatoire.platform.wsgi); production servers set
`DJANGO_SETTINGS_MODULE=observatoire.platform.settings.production`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.platform.settings.local")
application = get_wsgi_application()
