"""The app's URLs plus the trivial baseline view, for benchmarks only
(selected with ROOT_URLCONF=bench.urls; never in the deployed app)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

FIXED_BODY = b"x" * 200


def trivial(request):
    return HttpResponse(FIXED_BODY, content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *app_urlpatterns]
