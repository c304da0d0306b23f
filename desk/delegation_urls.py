"""The desk's pages of delegations nominated by economies (issue 15)."""

from django.urls import path

from . import delegation_views as views

urlpatterns = [
    path("events/<slug:slug>/delegations/", views.delegations, name="delegations"),
    path("events/<slug:slug>/delegations/settings/", views.delegation_settings, name="delegation_settings"),
    path("events/<slug:slug>/delegations/quota/", views.delegation_quota, name="delegation_quota"),
    path("events/<slug:slug>/delegations/focal-points/", views.focal_point_add, name="focal_point_add"),
    path(
        "events/<slug:slug>/delegations/focal-points/<int:pk>/remove/",
        views.focal_point_remove,
        name="focal_point_remove",
    ),
    path(
        "events/<slug:slug>/delegations/<uuid:uid>/pre-approve/",
        views.nomination_pre_approve,
        name="nomination_pre_approve",
    ),
    path("events/<slug:slug>/delegations/<uuid:uid>/approve/", views.nomination_approve, name="nomination_approve"),
    path("events/<slug:slug>/delegations/<uuid:uid>/decline/", views.nomination_decline, name="nomination_decline"),
    path("events/<slug:slug>/delegations/letters/<str:economy>.pdf", views.nomination_letter, name="nomination_letter"),
]
