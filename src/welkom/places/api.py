from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from welkom.places.selectors import (
    InvalidPostcode,
    PostcodeLookupError,
    municipality_for_postcode,
    not_a_postcode,
)

# What the API takes as a postcode, exactly as documented: four digits, optionally a space
# and two letters. (The site's forms forgive more: dots, dashes, other spaces.)
POSTCODE_PATTERN = r"^[1-9][0-9]{3}( ?[A-Za-z]{2})?$"


class PostcodeOutput(serializers.Serializer):
    postcode = serializers.CharField()
    municipality_code = serializers.CharField()
    municipality_name = serializers.CharField()
    region = serializers.CharField()


class ErrorOutput(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


@extend_schema(
    parameters=[
        OpenApiParameter(
            "postcode",
            str,
            OpenApiParameter.PATH,
            description="A Dutch postcode: four digits, then (optionally) two letters.",
            pattern=POSTCODE_PATTERN,
        )
    ],
    responses={
        200: PostcodeOutput,
        400: OpenApiResponse(ErrorOutput, description="Not a Dutch postcode."),
        404: OpenApiResponse(ErrorOutput, description="Outside Limburg, or no known addresses."),
    },
    auth=[],
)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([AnonRateThrottle])
def postcode_lookup(request, postcode: str) -> Response:
    """The Limburg municipality of a postcode (public reference data)."""
    try:
        if not re.fullmatch(POSTCODE_PATTERN[1:-1], postcode):
            raise not_a_postcode(postcode)
        municipality = municipality_for_postcode(postcode)
    except PostcodeLookupError as error:
        status = 400 if isinstance(error, InvalidPostcode) else 404
        code = type(error).__name__
        return Response({"code": code, "detail": str(error.message)}, status=status)
    data = {
        "postcode": postcode,
        "municipality_code": municipality.code,
        "municipality_name": municipality.name,
        "region": municipality.region.name,
    }
    return Response(PostcodeOutput(data).data)
