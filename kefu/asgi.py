"""The push server's application (kefu.core.push): `kefu serve` runs it under uvicorn beside the
web server (kefu.wsgi). It can serve every route, but browsers come to it only for the streams."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
application = get_asgi_application()
