"""Addresses of the reciprocal borrowing pages."""

from django.urls import path

from . import pages

urlpatterns = [
    path("my/pass/", pages.my_pass, name="reciprocal_my_pass"),
    path("my/pass/card/", pages.my_card, name="reciprocal_my_card"),
    path("manage/reciprocal/", pages.home, name="reciprocal_home"),
    path("manage/reciprocal/<str:code>/desk/", pages.desk, name="reciprocal_desk"),
    path("manage/reciprocal/<str:code>/desk/<str:action>/", pages.desk_act, name="reciprocal_desk_act"),
    path("manage/reciprocal/<str:code>/passes/", pages.passes, name="reciprocal_passes"),
    path("manage/reciprocal/<str:code>/passes/<int:pk>/card/", pages.pass_card, name="reciprocal_pass_card"),
    path("manage/agreements/<str:code>/reciprocal/", pages.terms_edit, name="reciprocal_terms"),
]
