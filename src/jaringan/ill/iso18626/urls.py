"""Addresses other systems use: the ISO 18626 endpoint and the scans they fetch."""

from django.urls import path

from . import endpoint

urlpatterns = [
    path("iso18626", endpoint.iso18626, name="iso18626"),
    path("iso18626/deliveries/<str:token>", endpoint.iso18626_delivery, name="iso18626_delivery"),
]
