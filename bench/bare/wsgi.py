import os

from django.core.wsgi import get_wsgi_application

# Set, not defaulted: the environment may name the app's own settings.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"

application = get_wsgi_application()
