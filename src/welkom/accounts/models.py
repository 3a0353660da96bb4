from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff of a housing provider, employer, municipality, …

    Workers themselves have no account; they use the public pages.
    """

    email = models.EmailField(_("e-mail address"), unique=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
