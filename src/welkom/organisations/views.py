from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from welkom.lib.http import posted_object_or_404
from welkom.lib.throttle import Rate, too_many, wait_before
from welkom.organisations.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InvitationForm,
    OrganisationAddForm,
)
from welkom.organisations.models import ApiToken, Invitation, Membership
from welkom.organisations.selectors import organisations_where, processing_by
from welkom.organisations.services import (
    USER_ADMINISTRATION,
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_by_token,
    invitation_create,
    membership_remove,
    organisation_add,
)

# Invitations one account may send: a team's worth in an hour, not a mailing.
INVITATIONS = Rate(30, 3600)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for each in errors:
                form.add_error(field if field in form.fields else None, each)
    else:
        for each in error.messages:
            form.add_error(None, each)


@login_required
@permission_required("organisations.add_organisation", raise_exception=True)
def organisation_new(request) -> HttpResponse:
    """A platform administrator adds an organisation and invites its first manager."""
    form = OrganisationAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation, invitation = organisation_add(
                kind=data["kind"],
                name=data["name"],
                kvk_number=data["kvk_number"],
                municipality_code=data["municipality"].code if data["municipality"] else "",
                manager_email=data["manager_email"],
                added_by=request.user,
                accept_url=lambda token: request.build_absolute_uri(
                    reverse("organisations:accept_invitation", kwargs={"token": token})
                ),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            message = _("%(organisation)s is added to Welkom.") % {"organisation": organisation}
            if invitation is not None:
                message += " " + _("An invitation was sent to %(email)s.") % {
                    "email": invitation.email
                }
            messages.success(request, message)
            return redirect("organisations:new")
    return render(
        request, "organisations/new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@permission_required("organisations.manage_members", raise_exception=True)
def team(request) -> HttpResponse:
    """The members and open invitations of every organisation whose team the user manages."""
    processing = processing_by(request.user, activity=USER_ADMINISTRATION)
    sections = []
    for organisation in organisations_where(request.user, "organisations.manage_members"):
        memberships = (
            Membership.objects.visible_to(request.user)
            .filter(organisation=organisation)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
            .for_processing(processing)
        )
        sections.append(
            {
                "organisation": organisation,
                "memberships": list(memberships),
                "invitations": Invitation.objects.visible_to(request.user)
                .open()
                .filter(organisation=organisation),
                "form": InvitationForm(organisation=organisation, prefix=f"org{organisation.pk}"),
            }
        )
    return render(request, "organisations/team.html", {"sections": sections})


@login_required
@permission_required("organisations.manage_members", raise_exception=True)
@require_POST
def invite(request, organisation_id: int) -> HttpResponse:
    seconds = wait_before("organisations.invite", str(request.user.pk), INVITATIONS)
    if seconds is not None:
        return too_many(request, seconds)
    organisation = get_object_or_404(
        organisations_where(request.user, "organisations.manage_members"), pk=organisation_id
    )
    form = InvitationForm(request.POST, organisation=organisation, prefix=f"org{organisation.pk}")
    if form.is_valid():
        try:
            invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                accept_url=lambda token: request.build_absolute_uri(
                    reverse("organisations:accept_invitation", kwargs={"token": token})
                ),
            )
        except ValidationError as error:
            _add_errors(form, error)
    if form.is_valid():
        messages.success(
            request,
            _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("organisations:team")
    return render(
        request,
        "organisations/invite_failed.html",
        {"form": form, "organisation": organisation},
        status=400,
    )


@login_required
@permission_required("organisations.manage_members", raise_exception=True)
@require_POST
def remove_member(request, membership_id: int) -> HttpResponse:
    processing = processing_by(request.user, activity=USER_ADMINISTRATION)
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user)
        .select_related("user")
        .for_processing(processing),
        pk=membership_id,
    )
    try:
        membership_remove(membership=membership, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer belongs to %(organisation)s.")
            % {
                "name": membership.user.get_full_name() or membership.user.email,
                "organisation": membership.organisation,
            },
        )
    return redirect("organisations:team")


def accept_invitation(request, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if invitation is None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(request.POST or None)
    error = None
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            if signed_in:
                invitation_accept(invitation=invitation, user=request.user)
            else:
                invitation_accept(invitation=invitation, **form.cleaned_data)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _("Welcome to %(organisation)s. You can now sign in.")
                % {"organisation": invitation.organisation},
            )
            return redirect("site:home" if signed_in else "accounts:login")
    return render(
        request,
        "organisations/accept_invitation.html",
        {"invitation": invitation, "form": form, "error": error},
        status=400 if error or (form is not None and form.errors) else 200,
    )


@login_required
@permission_required("organisations.manage_api_tokens", raise_exception=True)
def api_tokens(request) -> HttpResponse:
    organisations = organisations_where(request.user, "organisations.manage_api_tokens")
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = posted_object_or_404(organisations, request.POST.get("organisation"))
        _token, new_key = api_token_create(
            organisation=organisation, name=form.cleaned_data["name"], created_by=request.user
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.visible_to(request.user).select_related("organisation")
    return render(
        request,
        "organisations/api_tokens.html",
        {"form": form, "tokens": tokens, "organisations": organisations, "new_key": new_key},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("organisations.manage_api_tokens", raise_exception=True)
@require_POST
def revoke_api_token(request, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=token_id)
    api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("organisations:api_tokens")
