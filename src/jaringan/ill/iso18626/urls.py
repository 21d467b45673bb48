"""The address other systems post ISO 18626 messages to (the scans they fetch are in `web.urls`)."""

from django.urls import path

from . import endpoint

urlpatterns = [
    path("iso18626", endpoint.iso18626, name="iso18626"),
]
