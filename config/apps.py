from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """django.contrib.admin, with the operators-only site as `admin.site`."""

    default_site = "config.admin_site.PlatformAdminSite"
