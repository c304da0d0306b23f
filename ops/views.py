from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .health import report


@never_cache
def healthz(request):
    """200 while the database answers, with the state of every part; 503 when it
    does not, so a load balancer takes the instance out."""
    state = report()
    state["status"] = "ok" if all(part["ok"] for part in state.values()) else "degraded"
    return JsonResponse(state, status=200 if state["database"]["ok"] else 503)
