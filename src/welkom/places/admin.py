from __future__ import annotations

from django.contrib import admin

from welkom.places.models import Municipality, PostcodeArea, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "population"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    exclude = ["boundary"]


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(admin.ModelAdmin):
    list_display = ["pc4", "municipality", "addresses"]
    search_fields = ["pc4", "municipality__name"]
