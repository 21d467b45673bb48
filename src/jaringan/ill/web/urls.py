"""Addresses of the interlibrary loan pages and of the downloads of scans (the ISO 18626 endpoint is in
`iso18626.urls`)."""

from django.urls import path

from . import downloads, pages

urlpatterns = [
    path("manage/ill/", pages.queue, {"side": "borrowing"}, name="ill_queue"),
    path("manage/ill/lending/", pages.queue, {"side": "lending"}, name="ill_lending"),
    path("manage/ill/ledger/", pages.ledger, name="ill_ledger"),
    path("manage/ill/print/<str:kind>/", pages.print_batch, name="ill_print"),
    path("manage/ill/requests/<int:pk>/", pages.detail, name="ill_detail"),
    path("manage/ill/requests/<int:pk>/act/", pages.act, name="ill_act"),
    path("manage/ill/requests/<int:pk>/messages/<int:mid>/", pages.message, name="ill_message"),
    path("manage/networks/<str:code>/ill/", pages.network, name="ill_network"),
    path("ill/new/", pages.new, name="ill_new"),
    path("my/requests/", pages.my_requests, name="ill_my"),
    path("my/requests/<int:pk>/", pages.my_detail, name="ill_my_detail"),
    path("my/requests/<int:pk>/act/", pages.my_act, name="ill_my_act"),
    path("ill/deliveries/<str:token>/", downloads.delivery_download, name="ill_delivery_download"),
    path("iso18626/deliveries/<str:token>", downloads.iso18626_delivery, name="iso18626_delivery"),
]
