from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from welkom.housing.api import locations
from welkom.organisations.api import organisation_me
from welkom.places.api import postcode_lookup
from welkom.register.api import night_list_retrieve, night_list_submit
from welkom.site.health import healthz, readyz
from welkom.work.api import placements_submit

# The admin signs in through Welkom's own login, so lock-out and two-factor apply there too.
admin.site.login = login_required(admin.site.login)

api_patterns = [
    path("organisation", organisation_me, name="organisation"),
    path("postcodes/<str:postcode>", postcode_lookup, name="postcode"),
    path("night-lists", night_list_submit, name="night-lists"),
    path("night-lists/<int:import_id>", night_list_retrieve, name="night-list"),
    path("locations", locations, name="locations"),
    path("placements", placements_submit, name="placements"),
    path("schema", SpectacularAPIView.as_view(api_version="1"), name="schema"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", include((api_patterns, "api"))),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", include("welkom.site.urls")),
        path("account/", include("welkom.accounts.urls")),
        path("organisation/", include("welkom.organisations.urls")),
        path("places/", include("welkom.places.urls")),
        path("processing-log/", include("welkom.processing_log.urls")),
        path("register/", include("welkom.register.urls")),
        path("housing/", include("welkom.housing.urls")),
        path("loket/", include("welkom.loket.urls")),
        path("work/", include("welkom.work.urls")),
        path("monitor/", include("welkom.monitor.urls")),
        prefix_default_language=False,
    ),
]

# Any error the views do not handle; a database that cannot be reached answers 503.
handler500 = "welkom.site.views.server_error"
