from django.contrib import admin

from .models import LogEntry


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the services alone."""

    list_display = ["at", "actor_label", "action", "event", "object_label", "reason"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_label", "reason"]
    date_hierarchy = "at"
    list_select_related = ["event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
