from django.urls import path

from . import promotion, report_views, views

urlpatterns = [
    path("analysis/", views.index, name="analysis_index"),
    path("analysis/chart/<str:signed>.svg", views.chart_image, name="analysis_chart"),
    path("analysis/digest/", promotion.digest, name="analysis_digest"),
    path("analysis/group/", views.group, name="analysis_group"),
    path("analysis/networks/<str:code>/", views.network, name="analysis_network"),
    path("analysis/networks/<str:code>/last-copies/", views.last_copies, name="analysis_last_copies"),
    path("analysis/networks/<str:code>/evaluation/", views.network_evaluation, name="analysis_network_evaluation"),
    path("analysis/networks/<str:code>/libraries/<str:library_code>/", views.member, name="analysis_member"),
    path("analysis/libraries/<str:code>/evaluation/", views.library_evaluation, name="analysis_library_evaluation"),
    path("analysis/networks/<str:code>/report/", report_views.network_report, name="analysis_network_report"),
    path("analysis/networks/<str:code>/report/<int:year>/", report_views.network_report,
         name="analysis_network_report"),
    path("analysis/networks/<str:code>/report/<int:year>.pdf", report_views.network_report, {"as_pdf": True},
         name="analysis_network_report_pdf"),
    path("analysis/libraries/<str:code>/report/", report_views.library_report, name="analysis_library_report"),
    path("analysis/libraries/<str:code>/report/<int:year>/", report_views.library_report,
         name="analysis_library_report"),
    path("analysis/libraries/<str:code>/report/<int:year>.pdf", report_views.library_report, {"as_pdf": True},
         name="analysis_library_report_pdf"),
    path("analysis/networks/<str:code>/search-box/", promotion.network_search_box, name="analysis_network_search_box"),
    path("analysis/libraries/<str:code>/search-box/", promotion.library_search_box, name="analysis_library_search_box"),
    path("analysis/libraries/<str:code>/order-check/", views.buy, name="analysis_buy"),
    path("analysis/libraries/<str:code>/retention/", views.retention, name="analysis_retention"),
]
