from django.urls import path

from . import views

app_name = "delegations"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("registrations/<uuid:uid>/details/", views.details, name="details"),
    path("<slug:slug>/<str:economy>/", views.delegation, name="delegation"),
    path("<slug:slug>/<str:economy>/letter/", views.upload_letter, name="letter_upload"),
    path("<slug:slug>/<str:economy>/letter.pdf", views.letter, name="letter"),
    path("<slug:slug>/<str:economy>/nominations/<uuid:uid>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/<str:economy>/nominations/<uuid:uid>/head/", views.name_head, name="head"),
]
