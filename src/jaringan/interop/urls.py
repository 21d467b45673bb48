from django.urls import path

from .ncip import views as ncip_views
from .oai import views as oai_views
from .sru import views as sru_views

urlpatterns = [
    path("oai", oai_views.oai, name="oai"),
    path("sru", sru_views.sru, name="sru"),
    path("ncip", ncip_views.ncip, name="ncip"),
]
