from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from courses.accounts.views import ConfirmEmailAndSignInView
from courses.catalog.views import CourseImageView
from courses.certificates.views import CertificateVerifyView
from courses.system.views import healthz, set_language

# Outside the language prefixes: addresses that machines and printed pages keep.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    # A lesson's pictures, referred to from its text (courses.markup.IMAGE_PATH).
    path("images/<str:key>/", CourseImageView.as_view(), name="course_image"),
    # Printed on certificates as a QR code: it must never move.
    path(
        "certificates/verify/<str:code>/",
        CertificateVerifyView.as_view(),
        name="certificate_verify",
    ),
]

# French is the default and has no prefix; English lives under /en/.
urlpatterns += i18n_patterns(
    path(settings.ADMIN_URL, admin.site.urls),
    # Before allauth's own: confirming an address signs the person in (courses/accounts).
    path(
        "accounts/confirm-email/<str:key>/",
        ConfirmEmailAndSignInView.as_view(),
        name="account_confirm_email",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("courses.urls")),
    prefix_default_language=False,
)
