from __future__ import annotations

from django.urls import path

from welkom.organisations import views

app_name = "organisations"

urlpatterns = [
    path("new/", views.organisation_new, name="new"),
    path("team/", views.team, name="team"),
    path("<int:organisation_id>/invite/", views.invite, name="invite"),
    path("membership/<int:membership_id>/remove/", views.remove_member, name="remove_member"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
]
