"""The placements API: an employer's or agency's system sends its placement list (the
template of the upload page, as CSV or XLSX), with the same reader, checks and guarantees
as the page and `welkom import_placements`: all or nothing, every problem in one pass,
the same list again changes nothing. Answered in the caller's language."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from welkom.lib.api import TooLarge, body_read, busy_documented, busy_response, in_request_language
from welkom.lib.locks import Busy
from welkom.organisations import rules as organisation_rules
from welkom.organisations.selectors import organisations_where
from welkom.work.models import PlacementImport
from welkom.work.services import placements_import

MB = 1024 * 1024
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET_STREAM = "application/octet-stream"
SUBMIT = "work.submit_placements"


class CanSubmitPlacements(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm(SUBMIT)


class ProblemOutput(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class PlacementImportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PlacementImport.Status.choices)
    placements = serializers.IntegerField()
    new = serializers.IntegerField(required=False)
    changed = serializers.IntegerField(required=False)
    unchanged = serializers.IntegerField(required=False)
    problems = ProblemOutput(many=True)


def _too_large() -> TooLarge:
    return TooLarge(
        _("The placement list is larger than %(limit)d MB. Split it and send the parts.")
        % {"limit": settings.UPLOAD_MAX_MB}
    )


@extend_schema(
    operation_id="placements_submit",
    summary="Send a placement list",
    description=(
        "Who works for which hirer through which agency, from when to when: the columns of "
        "the placement template (hirer_kvk, agency_kvk, job_start, job_end, and the person's "
        "family_name, given_names, date_of_birth, nationality), as a CSV or XLSX body. A row "
        "names a person whom a night list already names with the hirer's or the agency's "
        "KvK number; the caller must be the hirer or the agency. All or nothing; the same "
        "list again changes nothing. Problems come in the language asked for with "
        "Accept-Language (nl, en, pl, ro, bg)."
    ),
    request={
        CSV: OpenApiTypes.BINARY,
        XLSX: OpenApiTypes.BINARY,
        OCTET_STREAM: OpenApiTypes.BINARY,
    },
    responses={
        201: OpenApiResponse(PlacementImportOutput, description="Applied: placements changed."),
        200: OpenApiResponse(PlacementImportOutput, description="Applied: nothing changed."),
        400: OpenApiResponse(description="An empty body."),
        401: OpenApiResponse(description="No API token, or an unknown or revoked one."),
        403: OpenApiResponse(description="The caller is no employer or agency that sends lists."),
        409: busy_documented("placement list of this organisation"),
        413: OpenApiResponse(description="Larger than the upload limit."),
        422: OpenApiResponse(
            PlacementImportOutput,
            description="Rejected: nothing changed; `problems` says what to fix, row by row.",
        ),
    },
)
@in_request_language
@api_view(["POST"])
@permission_classes([IsAuthenticated, CanSubmitPlacements])
def placements_submit(request: Request) -> Response:
    sender = (
        organisations_where(request.user, SUBMIT)
        .filter(kind__in=[organisation_rules.EMPLOYER, organisation_rules.TEMP_AGENCY])
        .exclude(kvk_number="")
        .first()
    )
    if sender is None:
        raise exceptions.PermissionDenied()
    data = body_read(request, settings.UPLOAD_MAX_MB * MB, too_large=_too_large)
    if not data:
        raise exceptions.ParseError(_("The request has no placement list in its body."))
    try:
        record, problems = placements_import(
            sender=sender,
            data=data,
            filename=request.query_params.get("filename", "api-upload"),
            source=PlacementImport.Source.API,
            # A token acts for its organisation, not for a person.
            submitted_by=request.user if getattr(request.user, "pk", None) else None,
        )
    except Busy:
        return busy_response()
    body = {
        "id": record.pk,
        "status": record.status,
        **record.counts,
        "problems": [{"row": p.row, "column": p.column, "message": p.text} for p in problems],
    }
    code = {
        PlacementImport.Status.APPLIED: status.HTTP_201_CREATED,
        PlacementImport.Status.UNCHANGED: status.HTTP_200_OK,
    }.get(record.status, status.HTTP_422_UNPROCESSABLE_ENTITY)
    return Response(body, status=code)
