from django.urls import path

from . import views

urlpatterns = [
    path("analysis/", views.index, name="analysis_index"),
    path("analysis/group/", views.group, name="analysis_group"),
    path("analysis/networks/<str:code>/", views.network, name="analysis_network"),
    path("analysis/networks/<str:code>/last-copies/", views.last_copies, name="analysis_last_copies"),
    path("analysis/networks/<str:code>/evaluation/", views.network_evaluation, name="analysis_network_evaluation"),
    path("analysis/networks/<str:code>/libraries/<str:library_code>/", views.member, name="analysis_member"),
    path("analysis/libraries/<str:code>/evaluation/", views.library_evaluation, name="analysis_library_evaluation"),
    path("analysis/libraries/<str:code>/order-check/", views.buy, name="analysis_buy"),
    path("analysis/libraries/<str:code>/retention/", views.retention, name="analysis_retention"),
]
