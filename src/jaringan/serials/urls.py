from django.urls import path

from . import views

urlpatterns = [
    path("serials/", views.serial_list, name="serial_list"),
    path("serials/<int:pk>/", views.serial_detail, name="serial_detail"),
    path("manage/libraries/<str:code>/holdings/", views.holdings_upload, name="holdings_upload"),
]
