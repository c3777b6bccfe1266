#!/usr/bin/env python
"""Django's command line for this instance: `.venv/bin/python manage.py COMMAND`.

Local settings (`observatoire.platform.settings.local`, whose data folder gets its secret key on
first use) unless `DJANGO_SETTINGS_MODULE` names others.
"""

import sys

from django.core.management import execute_from_command_line

from observatoire.platform.setup import environment

if __name__ == "__main__":
    environment()
    execute_from_command_line(sys.argv)
