from __future__ import annotations

from django.contrib import admin

from welkom.work.models import MinimumWage


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "weekly_amount", "source"]
