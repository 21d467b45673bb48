from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from jaringan import errorpages
from jaringan.api import api
from jaringan.catalog import views as catalog_views
from jaringan.catalog import batch_views as catalog_batch_views
from jaringan.catalog import feeds as catalog_feeds
from jaringan.discovery import views as discovery_views
from jaringan.catalog import ucs_views
from jaringan.network import border_pages, views
from jaringan.security.forms import ThrottledAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", errorpages.favicon, name="favicon"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<str:code>/", views.network_detail, name="network_detail"),
    path("networks/<str:code>/search/", discovery_views.search, name="network_search"),
    path("search/", discovery_views.search, name="search"),
    path("libraries/", views.library_list, name="library_list"),
    path("libraries/<str:code>/", views.library_detail, name="library_detail"),
    path("agreements/check/", views.agreement_check, name="agreement_check"),
    path("agreements/<str:code>/", views.agreement_detail, name="agreement_detail"),
    path("manage/", views.dashboard, name="dashboard"),
    path("manage/libraries/new/", views.library_edit, name="library_new"),
    path("manage/libraries/<str:code>/", views.library_edit, name="library_edit"),
    path("manage/networks/new/", views.network_edit, name="network_new"),
    path("manage/networks/<str:code>/", views.network_edit, name="network_edit"),
    path("manage/networks/<str:network_code>/agreements/new/", views.agreement_edit, name="agreement_new"),
    path("manage/agreements/<str:code>/", views.agreement_edit, name="agreement_edit"),
    path("manage/networks/<str:network_code>/rules/", border_pages.border_rules, name="network_rules"),
    path("manage/agreements/<str:code>/rules/", border_pages.border_rules, name="agreement_rules"),
    path("manage/memberships/apply/", views.membership_apply, name="membership_apply"),
    path("manage/memberships/<int:pk>/", views.membership_detail, name="membership_detail"),
    path("manage/memberships/<int:pk>/act/", views.membership_act, name="membership_act"),
    path("catalogue/", catalog_views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", catalog_views.edition_detail, name="edition_detail"),
    path("catalogue/<int:pk>/why/", catalog_views.edition_why, name="edition_why"),
    path("catalogue/<int:pk>/export/<str:fmt>/", catalog_views.edition_export, name="edition_export"),
    path("feeds/new/", catalog_feeds.NewAcquisitionsFeed(), name="feed_new"),
    path("feeds/networks/<str:code>/new/", catalog_feeds.NetworkAcquisitionsFeed(), name="feed_network_new"),
    path("feeds/libraries/<str:code>/new/", catalog_feeds.LibraryAcquisitionsFeed(), name="feed_library_new"),
    path("manage/records/<int:pk>/split/", catalog_views.record_split, name="record_split"),
    path("manage/records/<int:pk>/merge/", catalog_views.record_merge, name="record_merge"),
    path("manage/libraries/<str:code>/records/", catalog_views.intake, name="catalog_intake"),
    path("manage/batches/<int:pk>/", catalog_batch_views.batch_detail, name="catalog_batch"),
    path("manage/batches/<int:pk>/progress/", catalog_batch_views.batch_progress, name="catalog_batch_progress"),
    path("manage/batches/<int:pk>/retry/", catalog_batch_views.batch_retry, name="catalog_batch_retry"),
    path("manage/libraries/<str:code>/ucs/", ucs_views.nodes, name="ucs_nodes"),
    path("manage/libraries/<str:code>/ucs/<int:pk>/", ucs_views.node_active, name="ucs_node_active"),
    # SLiMS's union-catalogue client posts to <server address>/ucs.php, /ucpoll.php or /uc-ops.php.
    re_path(r"^ucs/*(?:(?:ucs|ucpoll|uc-ops)\.php)?$", ucs_views.push, name="ucs_push"),
    path("manage/quarantine/<int:pk>/", catalog_views.quarantine_download, name="quarantine_download"),
    path("manage/quarantine/<int:pk>/retry/", catalog_views.quarantine_retry, name="quarantine_retry"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("jaringan.harvesting.urls")),
    path("", include("jaringan.interop.urls")),
    path("", include("jaringan.ill.iso18626.urls")),
    path("", include("jaringan.ill.web.urls")),
    path("", include("jaringan.bibliographies.urls")),
    path("", include("jaringan.reciprocal.urls")),
    path("", include("jaringan.analysis.urls")),
    path("", include("jaringan.serials.urls")),
]
