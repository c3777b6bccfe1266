"""Django settings, one module per environment (`DJANGO_SETTINGS_MODULE`):

- `observatoire.platform.settings.local` — the embedded default (`observatoire demo`, `serve`,
  `manage.py`): SQLite in the data folder, secret key read from the data folder;
- `observatoire.platform.settings.production` — behind HTTPS; refuses to start without a strong
  `DJANGO_SECRET_KEY`, with `DJANGO_DEBUG` on, or without `DJANGO_ALLOWED_HOSTS`;
- `observatoire.platform.settings.test` — pytest: a temporary data folder of its own.

Each imports `base` and adds what differs. No module here writes anything at import.
"""
