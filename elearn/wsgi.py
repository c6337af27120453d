import os

from django.core.wsgi import get_wsgi_application

from elearn.startup import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")

application = get_wsgi_application()

# Without DEBUG, no worker serves with the development key (gunicorn.conf.py stops the master
# first, with one line; this stops a server started with any other configuration).
require_secret_key()
