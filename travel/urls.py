from django.urls import path

from . import views

app_name = "travel"

urlpatterns = [
    path("<uuid:uid>/", views.claim, name="claim"),
    path("<uuid:uid>/documents/<int:pk>/", views.document, name="document"),
    path("<uuid:uid>/documents/<int:pk>/remove/", views.document_remove, name="document_remove"),
    path("<uuid:uid>/submit/", views.submit, name="submit"),
]
