from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from . import services
from .models import AgendaItem, AgendaVersion, Event, EventRole, MeetingCluster, Speaker, Venue


class LoggedAdmin(admin.ModelAdmin):
    """Saved and deleted through the services, so the audit log says who
    changed what (``log_kind``: the code's first part, e.g. ``venue``)."""

    log_kind = None

    def save_model(self, request, obj, form, change):
        services.save_logged(form, actor=request.user, kind=self.log_kind)

    def delete_model(self, request, obj):
        services.delete_logged(obj, actor=request.user, kind=self.log_kind)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(MeetingCluster)
class MeetingClusterAdmin(LoggedAdmin):
    list_display = ["__str__", "start_date", "end_date", "host_economy"]
    prepopulated_fields = {"slug": ["meeting", "year", "host_city"]}
    log_kind = "cluster"


@admin.register(Venue)
class VenueAdmin(LoggedAdmin):
    list_display = ["name", "city", "economy", "timezone"]
    search_fields = ["name", "city"]
    log_kind = "venue"


@admin.register(Speaker)
class SpeakerAdmin(LoggedAdmin):
    list_display = ["name", "organisation", "economy"]
    search_fields = ["name", "organisation"]
    list_filter = ["economy"]
    log_kind = "speaker"


class AgendaItemInline(admin.TabularInline):
    """The draft agenda, read only: sessions are added, changed and removed on
    the desk's agenda page, through the services that log each change."""

    model = AgendaItem
    fields = ["starts_at", "ends_at", "kind", "title", "room"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventRoleInline(admin.TabularInline):
    """Who holds which role, read only: roles change on the desk's Team page,
    through the services that keep the last owner and log the change."""

    model = EventRole
    fields = ["user", "role", "granted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "cluster", "project_code"]
    list_filter = ["status", "kind", "cluster"]
    search_fields = ["title", "project_code", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EventRoleInline, AgendaItemInline]
    # Status and capacity change only through the services (publish, cancel,
    # set_capacity: locks, waiting list, notices, audit log), never a bare edit.
    readonly_fields = ["status", "capacity"]
    actions = ["publish", "cancel_event", "publish_agenda"]

    def save_model(self, request, obj, form, change):
        """Descriptive fields, saved as the desk saves them: a calendar change
        raises the SEQUENCE, and the change is logged with who made it."""
        services.save_event(form, actor=request.user)

    def _apply(self, request, queryset, action, done):
        for event in queryset:
            try:
                result = action(event, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{event}: {' '.join(error.messages)}", messages.WARNING)
            else:
                self.message_user(request, f"{event}: {done(result)}")

    @admin.action(description="Publish the selected draft events")
    def publish(self, request, queryset):
        self._apply(request, queryset, services.publish_event, lambda event: "published.")

    @admin.action(description="Cancel the selected events (participants are told)")
    def cancel_event(self, request, queryset):
        self._apply(request, queryset, services.cancel_event, lambda event: "cancelled.")

    @admin.action(description="Publish the draft agenda of the selected events")
    def publish_agenda(self, request, queryset):
        self._apply(request, queryset, services.publish_agenda, lambda version: f"version {version.number} published.")


@admin.register(AgendaVersion)
class AgendaVersionAdmin(admin.ModelAdmin):
    list_display = ["event", "number", "published_at", "published_by"]
    list_filter = ["event"]
    readonly_fields = ["event", "number", "published_at", "published_by", "note", "changelog"]

    def has_add_permission(self, request):
        return False  # versions come only from publishing
