from django.conf import settings

from .permissions import principal_for


def principal(request):
    """Put the signed-in person's roles in every template as `principal`."""
    if not hasattr(request, "_principal"):
        request._principal = principal_for(getattr(request, "user", None))
    return {"principal": request._principal, "MAP_TILES_URL": settings.MAP_TILES_URL}
