import os

from django.core.asgi import get_asgi_application

from elearn.startup import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elearn.settings.base")

application = get_asgi_application()
require_secret_key()  # as elearn.wsgi
