from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from events import views as event_views
from ops.views import healthz
from registrations.calendar_feed import personal_feed
from registrations.privacy import privacy_notice
from registrations.unsubscribe import unsubscribe

# One sign-in, throttled: the admin's own login form (which has no rate limit)
# sends visitors to the site's allauth sign-in with ?next= kept, so staff end up
# back in the admin; a signed-in non-staff user gets 403.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", event_views.home, name="home"),
    path("", include("registrations.urls")),
    path("events/", include("events.urls")),
    path("desk/", include("desk.urls")),
    path("attendance/", include("attendance.urls")),
    path("surveys/", include("evaluation.urls")),
    path("delegations/", include("delegations.urls")),
    path("travel/", include("travel.urls")),
    path("forms/", include("questions.urls")),
    path("accounts/", include("registrations.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("calendar/<str:token>.ics", personal_feed, name="personal_feed"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
    path("privacy/", privacy_notice, name="privacy"),
    path("healthz", healthz, name="healthz"),
]
