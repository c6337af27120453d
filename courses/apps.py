from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)


class AdminConfig(DjangoAdminConfig):
    """Django's admin, whose login is the site's own (courses.system.admin_site)."""

    default_site = "courses.system.admin_site.SiteAdmin"
