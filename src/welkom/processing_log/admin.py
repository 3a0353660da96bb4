from __future__ import annotations

from django.contrib import admin

from welkom.processing_log.models import Entry, ProcessingActivity


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name", "active"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = [
        "started_at",
        "actor_label",
        "organisation",
        "activity",
        "action",
        "object_type",
    ]
    list_filter = ["activity", "action", "status"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
