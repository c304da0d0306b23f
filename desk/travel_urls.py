from django.urls import path

from . import travel_views as views

urlpatterns = [
    path("travel-eligibility/", views.travel_eligibility, name="travel_eligibility"),
    path("events/<slug:slug>/travel/", views.travel, name="travel"),
    path("events/<slug:slug>/travel/settings/", views.travel_settings, name="travel_settings"),
    path("events/<slug:slug>/travel/places/", views.travel_places, name="travel_places"),
    path("events/<slug:slug>/travel/fund/", views.travel_fund, name="travel_fund"),
    path("events/<slug:slug>/travel/<int:pk>/", views.travel_claim, name="travel_claim"),
    path("events/<slug:slug>/travel/<int:pk>/decide/", views.travel_decide, name="travel_decide"),
    path("events/<slug:slug>/travel/<int:pk>/unfund/", views.travel_unfund, name="travel_unfund"),
    path(
        "events/<slug:slug>/travel/<int:pk>/documents/<int:document>/",
        views.travel_document,
        name="travel_document",
    ),
]
