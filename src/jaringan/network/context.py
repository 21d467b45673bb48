from django.conf import settings

from .permissions import principal_of


def principal(request):
    """Put the signed-in person's roles in every template as `principal`."""
    return {"principal": principal_of(request), "MAP_TILES_URL": settings.MAP_TILES_URL}
