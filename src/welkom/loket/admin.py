from __future__ import annotations

from django.contrib import admin

from welkom.loket.models import Activity, MunicipalContact, Topic, TopicText


class TopicTextInline(admin.StackedInline):
    model = TopicText
    extra = 0
    readonly_fields = ["revision", "source_revision", "updated_at", "updated_by"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """For the platform administrator; editors use the loket's own pages, which keep the
    translation status right (`welkom.loket.services.topic_text_save`)."""

    list_display = ["slug", "position"]
    inlines = [TopicTextInline]


@admin.register(MunicipalContact)
class MunicipalContactAdmin(admin.ModelAdmin):
    list_display = ["municipality", "name", "email", "phone", "confirmed_at"]
    readonly_fields = ["confirmed_at", "confirmed_by", "updated_at"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "place"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name", "place"]
