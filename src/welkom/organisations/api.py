"""The organisation's own API endpoints."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response


class OrganisationOutput(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    kvk_number = serializers.CharField()
    municipality_code = serializers.CharField(allow_null=True)


@extend_schema(responses=OrganisationOutput)
@api_view(["GET"])
def organisation_me(request) -> Response:
    """The organisation on whose behalf the caller acts."""
    from welkom.organisations.selectors import primary_organisation

    organisation = primary_organisation(request.user)
    if organisation is None:
        raise exceptions.PermissionDenied(_("You do not belong to an organisation."))
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "kvk_number": organisation.kvk_number,
        "municipality_code": organisation.municipality.code if organisation.municipality else None,
    }
    return Response(OrganisationOutput(data).data)
