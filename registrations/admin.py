from django.contrib import admin

from .models import ParticipantProfile, Registration


@admin.register(ParticipantProfile)
class ParticipantProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "organisation", "economy"]
    list_filter = ["economy"]
    search_fields = ["full_name", "user__email", "organisation"]
    raw_id_fields = ["user"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "status", "participation_type", "economy", "created_at"]
    list_filter = ["status", "participation_type", "economy", "event"]
    search_fields = ["user__email", "user__profile__full_name", "event__title"]
    raw_id_fields = ["user", "event"]
