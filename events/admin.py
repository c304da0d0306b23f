from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from . import services
from .models import AgendaItem, AgendaVersion, Event, MeetingCluster, Speaker, Venue


@admin.register(MeetingCluster)
class MeetingClusterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_date", "end_date", "host_economy"]
    prepopulated_fields = {"slug": ["meeting", "year", "host_city"]}


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "economy", "timezone"]
    search_fields = ["name", "city"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "economy"]
    search_fields = ["name", "organisation"]
    list_filter = ["economy"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["starts_at", "ends_at", "kind", "title", "room"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "cluster", "project_code"]
    list_filter = ["status", "kind", "cluster"]
    search_fields = ["title", "project_code", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisers"]
    inlines = [AgendaItemInline]
    actions = ["publish_agenda"]

    @admin.action(description="Publish the draft agenda of the selected events")
    def publish_agenda(self, request, queryset):
        for event in queryset:
            try:
                version = services.publish_agenda(event, request.user)
            except ValidationError as error:
                self.message_user(request, f"{event}: {' '.join(error.messages)}", messages.WARNING)
            else:
                self.message_user(request, f"{event}: version {version.number} published.")


@admin.register(AgendaVersion)
class AgendaVersionAdmin(admin.ModelAdmin):
    list_display = ["event", "number", "published_at", "published_by"]
    list_filter = ["event"]
    readonly_fields = ["event", "number", "published_at", "published_by", "note", "changelog"]

    def has_add_permission(self, request):
        return False  # versions come only from publishing
