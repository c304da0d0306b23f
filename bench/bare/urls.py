from django.http import HttpResponse
from django.urls import path

FIXED_BODY = b"x" * 200


def trivial(request):
    return HttpResponse(FIXED_BODY, content_type="text/plain")


urlpatterns = [path("trivial", trivial)]
