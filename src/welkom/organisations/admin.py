from __future__ import annotations

from django.contrib import admin

from welkom.organisations.models import ApiToken, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "kvk_number", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "kvk_number"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens are made on the API-token page, which shows the key once
