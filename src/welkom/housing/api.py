"""The locations API: a provider's system sends its location descriptions (the location
template, as CSV or XLSX) and reads every visible location's capacity and compliance.

No personal data: locations describe buildings. The same reader and checks as the command
line (`welkom import_locations`), answered in the caller's language.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from welkom.housing.models import LocationImport
from welkom.housing.selectors import location_rows
from welkom.housing.services import location_file_import
from welkom.lib.api import TooLarge, body_read, busy_documented, busy_response, in_request_language
from welkom.lib.locks import Busy
from welkom.organisations import rules
from welkom.organisations.selectors import organisations_where

MB = 1024 * 1024
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET_STREAM = "application/octet-stream"


def _too_large() -> TooLarge:
    return TooLarge(
        _("The location file is larger than %(limit)d MB. Split it and send the parts.")
        % {"limit": settings.UPLOAD_MAX_MB}
    )


class CanViewLocations(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method == "POST":
            return request.user.has_perm("housing.change_location")
        return request.user.has_perm("housing.view_location")


class LocationOutput(serializers.Serializer):
    code = serializers.CharField()
    address = serializers.CharField()
    municipality = serializers.CharField()
    provider = serializers.CharField()
    building_type = serializers.CharField()
    stay_type = serializers.CharField()
    permitted_capacity = serializers.IntegerField(allow_null=True)
    effective_capacity = serializers.IntegerField(allow_null=True)
    quality_marks = serializers.ListField(child=serializers.CharField())
    all_applicable_rules_met = serializers.BooleanField()


class ProblemOutput(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["applied", "rejected"])
    locations = serializers.IntegerField()
    locations_created = serializers.IntegerField(required=False)
    locations_updated = serializers.IntegerField(required=False)
    problems = ProblemOutput(many=True)


@extend_schema(
    methods=["GET"],
    summary="Locations with their capacity",
    description="The caller's locations (a provider) or those in its territory (a "
    "municipality), with the effective capacity under the norms that apply today.",
    responses={200: LocationOutput(many=True)},
)
@extend_schema(
    methods=["POST"],
    summary="Send location descriptions",
    description="The location template as the request body (text/csv, or an XLSX workbook): "
    "one row per room, the location's columns repeated. All or nothing: any problem "
    "refuses the whole file, with every problem by row and column.",
    request={
        CSV: OpenApiTypes.BINARY,
        XLSX: OpenApiTypes.BINARY,
        OCTET_STREAM: OpenApiTypes.BINARY,
    },
    responses={
        201: ImportOutput,
        400: OpenApiResponse(ImportOutput, description="Refused: nothing changed."),
        401: OpenApiResponse(description="No API token, or an unknown or revoked one."),
        403: OpenApiResponse(description="The caller may not change a provider's locations."),
        409: busy_documented("location file of this provider"),
        413: OpenApiResponse(description="Larger than the upload limit."),
    },
)
@in_request_language
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated, CanViewLocations])
def locations(request: Request) -> Response:
    if request.method == "GET":
        rows = location_rows(user=request.user, on=timezone.localdate())
        return Response(
            [
                {
                    "code": row.location.code,
                    "address": row.location.address,
                    "municipality": row.location.municipality.name,
                    "provider": row.location.provider.name,
                    "building_type": row.location.building_type,
                    "stay_type": row.location.stay_type,
                    "permitted_capacity": row.location.permitted_capacity,
                    "effective_capacity": row.judged.effective_capacity,
                    "quality_marks": [c.scheme for c in row.marks],
                    "all_applicable_rules_met": row.compliant,
                }
                for row in rows
            ]
        )
    provider = (
        organisations_where(request.user, "housing.change_location")
        .filter(kind=rules.HOUSING_PROVIDER)
        .first()
    )
    if provider is None:
        raise exceptions.PermissionDenied()
    data = body_read(request, settings.UPLOAD_MAX_MB * MB, too_large=_too_large)
    try:
        record, problems = location_file_import(
            provider=provider,
            data=data,
            filename="api-upload",
            source=LocationImport.Source.API,
            submitted_by=request.user,
        )
    except Busy:
        return busy_response()
    body = {
        "id": record.pk,
        "status": record.status,
        **record.counts,
        "problems": [{"row": p.row, "column": p.column, "message": p.text} for p in problems],
    }
    if problems:
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return Response(body, status=status.HTTP_201_CREATED)
