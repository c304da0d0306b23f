from django.contrib import admin, messages

from . import services
from .models import ParticipantProfile, Registration


@admin.register(ParticipantProfile)
class ParticipantProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "organisation", "economy"]
    list_filter = ["economy"]
    search_fields = ["full_name", "user__email", "organisation"]
    raw_id_fields = ["user"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "status", "participation_type", "economy", "queued_at"]
    list_filter = ["status", "participation_type", "economy", "event"]
    search_fields = ["user__email", "user__profile__full_name", "event__title"]
    raw_id_fields = ["user", "event"]
    # State changes go through the services (locks, waiting list, mails), never a bare edit.
    readonly_fields = [
        "status",
        "queued_at",
        "checked_in_at",
        "checkin_code",
        "status_reason",
        "personal_data_erased_at",
    ]
    actions = ["approve", "decline", "cancel"]

    def has_add_permission(self, request):
        return False  # registrations are made with services.register (the site or the shell)

    def _apply(self, request, queryset, action, verb):
        done = 0
        for registration in queryset:
            try:
                action(registration, actor=request.user)
            except services.RegistrationRefused as refusal:
                self.message_user(request, f"{registration}: {' '.join(refusal.messages)}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} registration(s) {verb}.")

    @admin.action(description="Approve the selected pending registrations")
    def approve(self, request, queryset):
        self._apply(request, queryset, services.approve, "approved")

    @admin.action(description="Decline the selected registrations (frees their seats)")
    def decline(self, request, queryset):
        def decline(registration, actor):
            return services.decline(registration, "Declined by the administrators.", actor=actor)

        self._apply(request, queryset, decline, "declined")

    @admin.action(description="Cancel the selected registrations (promotes the waiting list)")
    def cancel(self, request, queryset):
        self._apply(request, queryset, services.cancel, "cancelled")
