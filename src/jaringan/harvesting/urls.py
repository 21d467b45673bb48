from django.urls import path

from . import views

urlpatterns = [
    path("manage/libraries/<str:code>/sources/", views.source_add, name="source_add"),
    path("manage/sources/<int:pk>/harvest/", views.source_harvest, name="source_harvest"),
]
