"""The WSGI application for production servers (granian, gunicorn) and ``runserver``.

Cached public pages are answered by ``CachedPages`` before Django's handler (portal.fastpath).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shoko.settings")
django_application = get_wsgi_application()

from shoko.portal.fastpath import CachedPages  # noqa: E402  (needs Django set up)

application = CachedPages(django_application)
