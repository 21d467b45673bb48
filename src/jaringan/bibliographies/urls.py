from django.urls import path

from . import feeds, views

urlpatterns = [
    path("bibliographies/", views.bibliography_list, name="bibliography_list"),
    path("bibliographies/new/", views.bibliography_new, name="bibliography_new"),
    path("bibliographies/add/", views.entry_add, name="bibliography_entry_add"),
    path("bibliographies/<int:pk>/", views.bibliography_detail, name="bibliography_detail"),
    path("bibliographies/<int:pk>/edit/", views.bibliography_edit, name="bibliography_edit"),
    path("bibliographies/<int:pk>/publish/", views.bibliography_publish, name="bibliography_publish"),
    path("bibliographies/<int:pk>/print/", views.bibliography_print, name="bibliography_print"),
    path("bibliographies/<int:pk>/export/<str:fmt>/", views.bibliography_export, name="bibliography_export"),
    path("bibliographies/<int:pk>/feed/", feeds.BibliographyChangesFeed(), name="bibliography_feed"),
    path("bibliographies/entries/<int:pk>/", views.entry_action, name="bibliography_entry"),
    path("bibliographies/shared/<str:token>/", views.bibliography_shared, name="bibliography_shared"),
    path("bibliographies/shared/<str:token>/print/", views.bibliography_shared_print,
         name="bibliography_shared_print"),
    path("bibliographies/shared/<str:token>/export/<str:fmt>/", views.bibliography_shared_export,
         name="bibliography_shared_export"),
]
