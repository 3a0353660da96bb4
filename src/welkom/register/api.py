"""The night-list API: a housing provider's system submits night lists and reads the outcome.

Every way in (a CSV or XLSX body, a multipart upload, JSON rows) ends as bytes for
`night_list_import`, so one reader checks them all and reports the same problems as the
upload page and the command line, translated into the caller's language.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from welkom.lib.api import (
    TooLarge,
    body_read,
    bounded,
    busy_documented,
    busy_response,
    in_request_language,
)
from welkom.lib.locks import Busy
from welkom.lib.problems import Problem, problems_as_text
from welkom.organisations import rules
from welkom.organisations.selectors import organisations_where
from welkom.register.list_reader import EMPTY, NIGHT_LIST_COLUMNS
from welkom.register.models import NightListImport
from welkom.register.services import night_list_import

SUBMIT_PERMISSION = "register.submit_night_list"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET_STREAM = "application/octet-stream"  # the content decides, as for the other raw bodies
MULTIPART = "multipart/form-data"
JSON = "application/json"
RAW_TYPES = {CSV: "night-list.csv", XLSX: "night-list.xlsx", OCTET_STREAM: "night-list"}
JSON_FILENAME = "rows.csv"  # JSON rows are kept as the CSV they are read as
CHUNK = 1 << 20
MB = 1024 * 1024


def _limit_mb() -> int:
    """The API takes larger lists than the upload page, but not unbounded ones."""
    return settings.UPLOAD_MAX_MB * 4


class CanSubmitNightLists(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm(SUBMIT_PERMISSION)


def _too_large() -> TooLarge:
    return TooLarge(
        _(
            "The night list is larger than %(limit)d MB, the most the API takes. Split it, "
            "for example by month, and send the parts one by one."
        )
        % {"limit": _limit_mb()}
    )


def _empty() -> exceptions.ParseError:
    return exceptions.ParseError(gettext(EMPTY))


# --- Input -------------------------------------------------------------------------------


class NightListSubmitQuery(serializers.Serializer):
    filename = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="The file's name, kept with the submission (raw CSV or XLSX bodies only).",
    )


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file field documented as the bytes it takes, not as the URL DRF would answer with."""


class NightListFileInput(serializers.Serializer):
    file = UploadField(help_text="The night list as a CSV file or Excel workbook.")


class NightRowField(serializers.DictField):
    """One row: column name → text; a number is read as its digits, null as empty.

    Checked in one pass: a field per value (DictField of CharField) takes some 35 µs a row,
    half a minute for the rows of a large list.
    """

    child = serializers.CharField(allow_null=True)  # what the schema shows

    def to_internal_value(self, data) -> dict[str, str]:
        if not isinstance(data, dict):
            self.fail("not_a_dict", input_type=type(data).__name__)
        row = {}
        for column, value in data.items():
            if isinstance(value, str):
                row[column] = value
            elif value is None:
                row[column] = ""
            elif isinstance(value, int | float) and not isinstance(value, bool):
                row[column] = str(value)
            else:
                invalid = serializers.CharField.default_error_messages["invalid"]
                raise serializers.ValidationError({column: [invalid]})
        return row


class NightListRowsInput(serializers.Serializer):
    rows = serializers.ListField(
        child=NightRowField(),
        allow_empty=False,
        help_text=(
            "One object per person per night, keyed by the night list's column names "
            f"({', '.join(NIGHT_LIST_COLUMNS)}). Values are strings (numbers are read as "
            "their digits, null as empty); dates as yyyy-mm-dd."
        ),
    )


# --- Output ------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "enum": NightListImport.Status.values})
class StatusField(serializers.ChoiceField):
    """Inline in the schema: a shared `StatusEnum` component would change name once another
    endpoint documents a different status."""


class NightListCountsOutput(serializers.Serializer):
    rows = serializers.IntegerField()
    nights = serializers.IntegerField()
    persons = serializers.IntegerField()
    persons_created = serializers.IntegerField()
    persons_changed = serializers.IntegerField(
        help_text="Known persons whose registration, BSN or ID document this list changed."
    )
    stays_opened = serializers.IntegerField()
    stays_closed = serializers.IntegerField()
    stays_changed = serializers.IntegerField()
    occupancy_changed = serializers.IntegerField()
    signals_opened = serializers.IntegerField(
        help_text="Signals opened for the persons and locations this list changed."
    )
    signals_closed = serializers.IntegerField(
        help_text="Signals that no longer apply after this list, closed as done."
    )


class NightListProblemOutput(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "The row as a spreadsheet numbers it (the header is row 1; for JSON rows, row 2 is "
            "the first object); null for a problem of the whole list."
        ),
    )
    column = serializers.CharField(allow_null=True, help_text="The column's canonical name.")
    value = serializers.CharField(help_text="The value as sent (a BSN masked).")
    message = serializers.CharField(help_text="What is wrong, in the request's language.")


class NightListImportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = StatusField(choices=NightListImport.Status.choices)
    counts = NightListCountsOutput()
    problems = NightListProblemOutput(many=True)


def _output(record: NightListImport) -> dict:
    """The submission's outcome; call in the language the messages are wanted in."""
    problems = problems_as_text([Problem.from_json(p) for p in record.problems])
    # Imports from before signals (or changed persons) were counted lack some counts.
    counts = dict.fromkeys(NightListCountsOutput().fields, 0) | record.counts
    data = {"id": record.pk, "status": record.status, "counts": counts, "problems": problems}
    return NightListImportOutput(data).data


# --- Reading the request -------------------------------------------------------------------


def _media_type(request: Request) -> str:
    return request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()


def _bounded(chunks: Iterator[bytes], limit: int) -> bytes:
    return bounded(chunks, limit, too_large=_too_large)


def _body_read(request: Request, limit: int) -> bytes:
    return body_read(request, limit, too_large=_too_large)


def _rows_as_csv(rows: list[dict[str, str]]) -> bytes:
    """JSON rows as the CSV file they stand for, so that the night-list reader checks them.

    The header holds the columns the rows use: canonical ones in their order, then any
    other name, which the reader reports as an unknown column rather than it being dropped.
    """
    used: dict[str, None] = {}
    for row in rows:
        used.update(dict.fromkeys(row))
    columns = [c for c in NIGHT_LIST_COLUMNS if c in used]
    columns += [c for c in used if c not in columns]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return text.getvalue().encode("utf-8")


def _submission_read(request: Request) -> tuple[bytes, str]:
    """(data, filename) from whichever way the list came in."""
    limit = _limit_mb() * MB
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > limit:  # refused before a byte of it is read
        raise _too_large()
    if announced <= 0:  # nothing sent (and then often no content type either)
        raise _empty()
    media_type = _media_type(request)
    if media_type in RAW_TYPES:
        query = NightListSubmitQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filename = query.validated_data.get("filename", "").replace("\\", "/").rsplit("/", 1)[-1]
        return _body_read(request, limit), filename.strip() or RAW_TYPES[media_type]
    if media_type == MULTIPART:
        form = NightListFileInput(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        if upload.size > limit:
            raise _too_large()
        return _bounded(upload.chunks(CHUNK), limit), upload.name or RAW_TYPES[OCTET_STREAM]
    if media_type == JSON:
        body = _body_read(request, limit)
        try:
            parsed = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise exceptions.ParseError() from None
        del body
        rows_input = NightListRowsInput(data=parsed)
        rows_input.is_valid(raise_exception=True)
        return _rows_as_csv(rows_input.validated_data["rows"]), JSON_FILENAME
    raise exceptions.UnsupportedMediaType(media_type or "-")


# --- Endpoints -----------------------------------------------------------------------------

_ERRORS = {
    401: OpenApiResponse(description="No API token, or an unknown or revoked one."),
    403: OpenApiResponse(
        description="The caller may not submit night lists (not a housing provider)."
    ),
}


@extend_schema(
    operation_id="night_list_submit",
    summary="Submit a night list",
    description=(
        "Who slept where, which night: one row per person per night, with the columns of the "
        "night-list template. Send it as a CSV or XLSX body (optionally named with "
        "`?filename=`), as a multipart upload in the field `file`, or as JSON rows. For every "
        "(location, night) in the list, the persons listed are exactly who slept there; other "
        "nights are untouched. The whole list is applied or, with any problem, none of it. "
        "Sending the same list again changes nothing.\n\n"
        f"A request may be at most 4 × the upload page's limit: {_limit_mb()} MB with the "
        "current settings (413 beyond that; split larger lists by month). Problems come in "
        "the language asked for with Accept-Language (nl, en, pl, ro, bg)."
    ),
    parameters=[NightListSubmitQuery],
    request={
        CSV: OpenApiTypes.BINARY,
        XLSX: OpenApiTypes.BINARY,
        OCTET_STREAM: OpenApiTypes.BINARY,
        MULTIPART: NightListFileInput,
        JSON: NightListRowsInput,
    },
    responses={
        201: OpenApiResponse(NightListImportOutput, description="Applied: the register changed."),
        200: OpenApiResponse(
            NightListImportOutput, description="Applied: nothing changed (the same data again)."
        ),
        400: OpenApiResponse(description="An empty body, or JSON not in the documented form."),
        **_ERRORS,
        409: busy_documented("night list"),
        413: OpenApiResponse(description="Larger than the limit above."),
        415: OpenApiResponse(description="A content type other than those listed."),
        422: OpenApiResponse(
            NightListImportOutput,
            description="Rejected: nothing changed; `problems` says what to fix, row by row.",
        ),
    },
)
@in_request_language
@api_view(["POST"])
@permission_classes([IsAuthenticated, CanSubmitNightLists])
def night_list_submit(request: Request) -> Response:
    provider = (
        organisations_where(request.user, SUBMIT_PERMISSION)
        .filter(kind=rules.HOUSING_PROVIDER)
        .first()
    )
    if provider is None:
        raise exceptions.PermissionDenied()
    data, filename = _submission_read(request)
    if not data:
        raise _empty()
    try:
        record, _summary = night_list_import(
            provider=provider,
            data=data,
            filename=filename,
            source=NightListImport.Source.API,
            # A token acts for its organisation, not for a person.
            submitted_by=request.user if getattr(request.user, "pk", None) else None,
        )
    except Busy:
        return busy_response()
    code = {
        NightListImport.Status.APPLIED: status.HTTP_201_CREATED,
        NightListImport.Status.UNCHANGED: status.HTTP_200_OK,
    }.get(record.status, status.HTTP_422_UNPROCESSABLE_ENTITY)
    headers = {}
    if code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api:night-list", args=[record.pk])
    return Response(_output(record), status=code, headers=headers)


@extend_schema(
    operation_id="night_list_retrieve",
    summary="A submitted night list's outcome",
    description=(
        "The outcome of an earlier submission of the caller's own organisation, as the "
        "submission answered it; problems in the language of this request."
    ),
    responses={
        200: NightListImportOutput,
        **_ERRORS,
        404: OpenApiResponse(description="No such submission of the caller's organisation."),
    },
)
@in_request_language
@api_view(["GET"])
@permission_classes([IsAuthenticated, CanSubmitNightLists])
def night_list_retrieve(request: Request, import_id: int) -> Response:
    record = NightListImport.objects.visible_to(request.user).filter(pk=import_id).first()
    if record is None:
        raise exceptions.NotFound()
    return Response(_output(record))
