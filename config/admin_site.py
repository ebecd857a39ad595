"""The Django admin: a tool of the platform's operators (superusers), nobody else's.

The admin shows every festival's films, consents and scores, and whoever may change users there
may make anyone a superuser. Organizers run their festival from their own pages, scoped to it.
So a staff flag alone opens nothing: every admin page, and the admin's login form, want an
active superuser. This site is `admin.site` (see `config.apps.PlatformAdminConfig`): every
`@admin.register` of the apps lands here.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class OperatorAuthenticationForm(AdminAuthenticationForm):
    """The admin's login: refused to staff accounts that are not superusers."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Administration de FILM'IT")
    site_title = _("FILM'IT")
    index_title = _("Données du festival")
    login_form = OperatorAuthenticationForm

    def has_permission(self, request):
        # Every admin view (index, lists, forms, autocomplete, password change) asks here.
        return super().has_permission(request) and request.user.is_superuser
