"""The public verification page, the learner's download and the course staff's pages."""

from __future__ import annotations

from typing import Any

# allauth's public ``consume`` never limits a GET (limit_get=False); this page is all GETs.
from allauth.core.internal import ratelimit
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from courses.access import CourseStaffRequiredMixin
from courses.models import AccessRecord, Certificate, User
from courses.system import accesses
from courses.system.media import media_response

from . import selectors, services
from .forms import ReissueForm, RevokeForm


@method_decorator(never_cache, name="dispatch")
class CertificateVerifyView(TemplateView):
    """Public, without login: valid, revoked or expired, with what the certificate says.

    Rate-limited per address: codes are unguessable (100 random bits), and the limit keeps
    anyone from trying.
    """

    template_name = "courses/certificates/verify.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ratelimit.consume(
            request, app="allauth.account", action="certificate_verify", limit_get=True
        ):
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
        return media_response(
            request,
            certificate.file.name,
            content_type="application/pdf",
            filename=f"attestation-{certificate.code}.pdf",
            missing=_(
                "This certificate's PDF cannot be found. Its code still proves it: "
                "contact your training organisation for a new copy."
            ),
        )


class CertificateRectifyView(LoginRequiredMixin, View):
    """POST, by the holder after correcting her name or RPPS number in her profile: the
    certificate re-issued under it, the old one marked replaced."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101  (LoginRequiredMixin)
        certificate = selectors.certificate_by_code(code=kwargs["code"])
        if certificate is None or certificate.enrollment is None:
            raise Http404(_("No such certificate."))
        if certificate.enrollment.user_id != request.user.pk:
            raise PermissionDenied(_("This certificate is not yours."))
        try:
            services.certificate_rectify(certificate=certificate, by=request.user)
        except services.RectificationRefused:
            messages.info(request, _("This certificate already bears your name, or was replaced."))
        else:
            messages.success(
                request,
                _(
                    "Your certificate is being re-issued under your name as your profile gives "
                    "it; you will receive it by e-mail. The previous one is marked as replaced."
                ),
            )
        return redirect(certificate.enrollment.course)


# --- course staff ----------------------------------------------------------------------------


class CourseCertificatesView(CourseStaffRequiredMixin, TemplateView):
    """The learners who completed the course and their certificates, filtered by status."""

    template_name = "courses/certificates/staff_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shown = selectors.status_filter(self.request.GET.get("status"))
        rows = selectors.course_completion_rows(course=self.course)
        base = reverse("courses:certificate_list", kwargs={"slug": self.course.slug})
        labels = {
            "": pgettext("certificates", "All"),
            Certificate.Status.VALID: pgettext("certificates", "Valid"),
            Certificate.Status.REVOKED: pgettext("certificates", "Revoked"),
            Certificate.Status.EXPIRED: pgettext("certificates", "Expired"),
            selectors.PENDING: pgettext("certificates", "Being issued"),
        }
        context.update(
            course=self.course,
            shown=shown,
            rows=selectors.rows_with_status(rows, status=shown),
            total=len(rows),
            filters=[
                {
                    "value": value,
                    "label": labels[value],
                    "count": len(selectors.rows_with_status(rows, status=value)),
                    "url": f"{base}?{urlencode({'status': value})}" if value else base,
                }
                for value in ("", *selectors.STATUS_FILTERS)
            ],
        )
        return context


class CourseCertificateMixin(CourseStaffRequiredMixin):
    """Course staff only; the certificate of this course named by the URL's code, else 404."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def certificate_or_404(self) -> Certificate:
        certificate = selectors.certificate_in_course(course=self.course, code=self.kwargs["code"])
        if certificate is None:
            raise Http404(_("No such certificate in this course."))
        return certificate

    def staff_url(self, certificate: Certificate) -> str:
        return reverse(
            "courses:certificate_staff",
            kwargs={"slug": self.course.slug, "code": certificate.code},
        )

    def render_detail(
        self,
        certificate: Certificate,
        *,
        revoke_form: RevokeForm | None = None,
        reissue_form: ReissueForm | None = None,
    ) -> HttpResponse:
        return render(
            self.request,
            "courses/certificates/staff_detail.html",
            {
                "course": self.course,
                "certificate": certificate,
                "family": selectors.certificate_family(certificate=certificate),
                "revoke_form": revoke_form or RevokeForm(prefix="revoke"),
                "reissue_form": reissue_form or ReissueForm(prefix="reissue"),
            },
        )


class CertificateStaffView(CourseCertificateMixin, View):
    """One certificate with its original and re-issues, and the forms to revoke or re-issue."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        certificate = self.certificate_or_404()
        accesses.record(
            by=accesses.viewer(request),
            action=AccessRecord.Action.CERTIFICATE_VIEWED,
            subject=certificate.enrollment.user if certificate.enrollment else None,
            detail=certificate.code,
        )
        return self.render_detail(certificate)


class CertificateRevokeView(CourseCertificateMixin, View):
    """POST only. A reason first, then a confirmation; the revocation is then final."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101  (CourseStaffRequiredMixin)
        certificate = self.certificate_or_404()
        if certificate.revoked_at is not None:
            messages.info(request, _("This certificate was already revoked."))
            return redirect(self.staff_url(certificate))
        form = RevokeForm(request.POST, prefix="revoke")
        if not form.is_valid():
            return self.render_detail(certificate, revoke_form=form)
        if not form.cleaned_data["confirm"]:
            return render(
                request,
                "courses/certificates/staff_revoke_confirm.html",
                {
                    "course": self.course,
                    "certificate": certificate,
                    "reason": form.cleaned_data["reason"],
                    "category": form.cleaned_data["category"],
                    "category_label": Certificate.RevocationCategory(
                        form.cleaned_data["category"]
                    ).label,
                    "cancel_url": self.staff_url(certificate),
                },
            )
        services.certificate_revoke(
            certificate=certificate,
            reason=form.cleaned_data["reason"],
            category=form.cleaned_data["category"],
            by=request.user,
        )
        messages.success(
            request,
            _("Certificate %(code)s is revoked: its verification page now says so.")
            % {"code": certificate.code},
        )
        return redirect("courses:certificate_list", slug=self.course.slug)


class CertificateReissueView(CourseCertificateMixin, View):
    """POST only. A new certificate, marked as the duplicate of the original; both stay valid."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101  (CourseStaffRequiredMixin)
        certificate = self.certificate_or_404()
        form = ReissueForm(request.POST, prefix="reissue")
        if not form.is_valid():
            return self.render_detail(certificate, reissue_form=form)
        try:
            duplicate = services.certificate_reissue(
                certificate=certificate, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValueError:
            messages.error(
                request,
                _("This certificate cannot be re-issued: the learner's completion is gone."),
            )
            return redirect(self.staff_url(certificate))
        messages.success(
            request,
            _(
                "Certificate %(new)s re-issues %(code)s; the learner will receive it by e-mail. "
                "%(code)s stays valid."
            )
            % {"new": duplicate.code, "code": (certificate.duplicate_of or certificate).code},
        )
        return redirect("courses:certificate_list", slug=self.course.slug)
