"""The public verification page and the learner's download."""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from . import selectors


@method_decorator(never_cache, name="dispatch")
class CertificateVerifyView(TemplateView):
    """Public, without login: valid, revoked or expired, with what the certificate says.

    Rate-limited per address: codes are unguessable (100 random bits), and the limit keeps
    anyone from trying.
    """

    template_name = "courses/certificates/verify.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ratelimit.consume(request, action="certificate_verify"):
            response = self.render_to_response({"rate_limited": True})
            response.status_code = 429
            return response
        certificate = selectors.certificate_by_code(code=kwargs["code"])
        if certificate is None:
            response = self.render_to_response({"code": kwargs["code"], "not_found": True})
            response.status_code = 404
            return response
        return self.render_to_response({"certificate": certificate})


class CertificateDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        certificate = selectors.certificate_by_code(code=kwargs["code"])
        if certificate is None:
            raise Http404(_("No such certificate."))
        if not selectors.certificate_can_download(user=request.user, certificate=certificate):
            raise PermissionDenied(_("This certificate is not yours."))
        if not certificate.file:
            raise Http404(_("This certificate is still being prepared; try again shortly."))
        return FileResponse(
            default_storage.open(certificate.file.name, "rb"),
            as_attachment=False,
            filename=f"attestation-{certificate.code}.pdf",
            content_type="application/pdf",
        )
