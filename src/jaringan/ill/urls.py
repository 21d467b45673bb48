from django.urls import path

from . import views

urlpatterns = [
    path("iso18626", views.iso18626, name="iso18626"),
    path("iso18626/deliveries/<str:token>", views.iso18626_delivery, name="iso18626_delivery"),
    path("ill/deliveries/<str:token>/", views.delivery_download, name="ill_delivery_download"),
]
