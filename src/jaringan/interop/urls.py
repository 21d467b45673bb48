from django.urls import path

from .oai import views as oai_views
from .sru import views as sru_views

urlpatterns = [
    path("oai", oai_views.oai, name="oai"),
    path("sru", sru_views.sru, name="sru"),
]
