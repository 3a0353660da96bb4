from __future__ import annotations

from django.contrib import admin

from welkom.jobs.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """When each nightly job last ran and how it ended; read only."""

    list_display = ["job", "started_at", "finished_at", "outcome"]
    list_filter = ["job", "outcome"]
    readonly_fields = ["job", "started_at", "finished_at", "outcome", "summary"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
