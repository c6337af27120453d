"""Course staff manage cohorts and enrol learners; learners join, accept, unsubscribe.

Who may do what: a cohort's pages are for its owner, its co-instructors and administrators
(CohortStaffRequiredMixin: anyone else gets a 404); sharing is the owner's (or an
administrator's) decision. Joining needs an account; unsubscribing from reminders does not
(the signed link is the proof).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from courses import access
from courses.access import CohortStaffRequiredMixin, CourseStaffRequiredMixin
from courses.accounts.services import invited_email_remember
from courses.models import Cohort, User

from . import selectors, services
from .csvimport import Row
from .forms import CohortForm, ConfirmForm, RemindForm, ResendForm, RosterUploadForm, ShareForm

PREVIEW_SESSION_KEY = "cohort_import_preview"
# The reminder page names this many learners, then says how many more.
REMIND_NAMES_SHOWN = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  (login required before)
    return request.user


def _may_share(user: User, cohort: Cohort) -> bool:
    return user.is_superuser or cohort.owner_id == user.pk


# --- course staff: the cohorts -----------------------------------------------------------------


class CohortListView(LoginRequiredMixin, TemplateView):
    """The cohorts an instructor owns or shares, and the courses they may start one in."""

    template_name = "courses/cohorts/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = _user(self.request)
        if not user.is_instructor:
            raise PermissionDenied(_("Cohorts are managed by instructors."))
        context = super().get_context_data(**kwargs)
        context["cohorts"] = selectors.cohorts_listed(user=user)
        context["courses"] = access.courses_managed(user=user)
        return context


class CohortCreateView(CourseStaffRequiredMixin, FormView):
    template_name = "courses/cohorts/form.html"
    form_class = CohortForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(course=self.course, **kwargs)

    def form_valid(self, form: CohortForm) -> HttpResponse:
        try:
            cohort = services.cohort_create(
                course=self.course, owner=_user(self.request), **form.cleaned_data
            )
        except services.CohortError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Cohort “%(name)s” created. Now add its learners.") % {"name": cohort.name},
        )
        return redirect("courses:cohort_enrol", pk=cohort.pk)


class CohortEditView(CohortStaffRequiredMixin, FormView):
    template_name = "courses/cohorts/form.html"
    form_class = CohortForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.cohort}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, course=self.cohort.course, **kwargs)

    def form_valid(self, form: CohortForm) -> HttpResponse:
        try:
            services.cohort_update(cohort=self.cohort, **form.cleaned_data)
        except services.CohortError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The cohort is saved."))
        return redirect("courses:cohort_dashboard", pk=self.cohort.pk)


class CohortShareView(CohortStaffRequiredMixin, View):
    """Who teaches the cohort; the owner adds or removes co-instructors."""

    def render_page(self, form: ShareForm | None = None, status: int = 200) -> HttpResponse:
        user = _user(self.request)
        return render(
            self.request,
            "courses/cohorts/share.html",
            {
                "cohort": self.cohort,
                "course": self.cohort.course,
                "co_instructors": selectors.cohort_co_instructors(cohort=self.cohort),
                "may_share": _may_share(user, self.cohort),
                "form": form or ShareForm(),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_share(_user(request), self.cohort):
            raise PermissionDenied(_("Only the cohort's owner shares it."))
        if "remove" in request.POST:
            co_instructor = selectors.cohort_co_instructor(
                cohort=self.cohort, pk=request.POST.get("remove", "")
            )
            if co_instructor is None:
                raise Http404(_("This instructor does not share the cohort."))
            services.cohort_unshare(cohort=self.cohort, user=co_instructor)
            messages.success(
                request,
                _("%(name)s no longer shares the cohort.") % {"name": co_instructor},
            )
            return redirect("courses:cohort_share", pk=self.cohort.pk)
        form = ShareForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            added = services.cohort_share(cohort=self.cohort, email=form.cleaned_data["email"])
        except services.CohortError as error:
            form.add_error("email", str(error))
            return self.render_page(form, status=400)
        messages.success(request, _("%(name)s now shares the cohort.") % {"name": added})
        return redirect("courses:cohort_share", pk=self.cohort.pk)


# --- course staff: enrolment -------------------------------------------------------------------


class CohortEnrolView(CohortStaffRequiredMixin, TemplateView):
    """The three ways in: the invitation link, a list of learners, and invitations pending."""

    template_name = "courses/cohorts/enrol.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            cohort=self.cohort,
            course=self.cohort.course,
            join_url=selectors.join_url(self.cohort),
            join_qr=selectors.join_qr_svg(self.cohort),
            invitations=selectors.invitations_pending(cohort=self.cohort),
            max_attempts=settings.INVITATION_MAX_SEND_ATTEMPTS,
            max_resends=settings.INVITATION_MAX_RESENDS,
            members=selectors.cohort_member_count(cohort=self.cohort),
        )
        context.setdefault("upload_form", RosterUploadForm())
        return context


class InviteLinkView(CohortStaffRequiredMixin, View):
    """POST: a new link (the old one stops working), or the link closed or opened again."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action == "reset":
            services.invite_link_reset(cohort=self.cohort, open=True)
            messages.success(
                request, _("A new invitation link is ready; the old one no longer works.")
            )
        elif action == "close":
            services.invite_link_set_open(cohort=self.cohort, open=False)
            messages.success(request, _("The invitation link is closed: nobody can join with it."))
        elif action == "open":
            services.invite_link_set_open(cohort=self.cohort, open=True)
            messages.success(request, _("The invitation link is open again."))
        else:
            return HttpResponse(_("Unknown action."), status=400)
        return redirect("courses:cohort_enrol", pk=self.cohort.pk)


class InvitationResendView(CohortStaffRequiredMixin, View):
    """POST: a personal invitation nobody accepted, sent once more (within the limit)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = selectors.invitation_in_cohort(cohort=self.cohort, pk=kwargs["invitation"])
        if invitation is None:
            raise Http404(_("This invitation is not one of the cohort's."))
        form = ResendForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_("The form was altered: nothing was sent."), status=400)
        try:
            services.invitation_resend(invitation=invitation, resends=form.cleaned_data["resends"])
        except services.CohortError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is being sent again.") % {"email": invitation.email},
            )
        return redirect(
            reverse("courses:cohort_enrol", kwargs={"pk": self.cohort.pk}) + "#invitations-title"
        )


class RosterUploadView(CohortStaffRequiredMixin, View):
    """POST a CSV file: a preview of what confirming will do. Nothing is written yet."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            view = CohortEnrolView(request=request, kwargs=kwargs, cohort=self.cohort)
            context = view.get_context_data(upload_form=form)
            return render(request, CohortEnrolView.template_name, context, status=400)
        parsed = form.cleaned_data["file"]
        plan = selectors.roster_plan(cohort=self.cohort, rows=parsed.rows)
        key = secrets.token_urlsafe(16)
        if parsed.rows:
            request.session[PREVIEW_SESSION_KEY] = {
                "key": key,
                "cohort": self.cohort.pk,
                "rows": [[r.line, r.email, r.first_name, r.last_name] for r in parsed.rows],
            }
        return render(
            request,
            "courses/cohorts/import_preview.html",
            {
                "cohort": self.cohort,
                "course": self.cohort.course,
                "parsed": parsed,
                "plan": plan,
                "confirm_form": ConfirmForm(initial={"preview": key}),
                "file_name": getattr(request.FILES.get("file"), "name", ""),
            },
        )


class RosterConfirmView(CohortStaffRequiredMixin, View):
    """POST the preview's key: enrol and invite. Confirming twice imports once."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ConfirmForm(request.POST)
        preview = request.session.get(PREVIEW_SESSION_KEY)
        if (
            not form.is_valid()
            or not preview
            or preview.get("cohort") != self.cohort.pk
            or not secrets.compare_digest(str(preview.get("key")), form.cleaned_data["preview"])
        ):
            messages.error(
                request,
                _(
                    "This list was already imported, or its preview expired: nothing more was "
                    "done. Upload the file again if learners are missing."
                ),
            )
            return redirect("courses:cohort_enrol", pk=self.cohort.pk)
        # One use: removed before the import, so that a double submission finds nothing.
        del request.session[PREVIEW_SESSION_KEY]
        request.session.save()
        rows = [
            Row(line=line, email=email, first_name=first, last_name=last)
            for line, email, first, last in preview["rows"]
        ]
        result = services.roster_import(cohort=self.cohort, rows=rows, by=_user(request))
        messages.success(
            request,
            _(
                "List imported: %(invited)d people invited (they join by accepting), "
                "%(already)d already in the cohort."
            )
            % {"invited": result.invited, "already": result.already},
        )
        return redirect("courses:cohort_dashboard", pk=self.cohort.pk)


class MemberRemoveView(CohortStaffRequiredMixin, View):
    """POST: a confirmation page first; with ``confirm`` the learner leaves the cohort (their
    enrolment, progress and certificates stay theirs)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = selectors.membership_in_cohort(cohort=self.cohort, pk=kwargs["member"])
        if membership is None:
            raise Http404(_("This learner is not in the cohort."))
        learner = membership.enrollment.user
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "courses/cohorts/remove_confirm.html",
                {"cohort": self.cohort, "course": self.cohort.course, "membership": membership},
            )
        services.membership_remove(membership=membership)
        messages.success(
            request,
            _("%(name)s is no longer in the cohort; their progress and certificates are kept.")
            % {"name": learner.full_name or learner.email},
        )
        return redirect("courses:cohort_dashboard", pk=self.cohort.pk)


class CohortRemindView(CohortStaffRequiredMixin, View):
    """ "Relancer les apprenant·es en retard": GET shows who would be e-mailed (and who not, and
    why) with the message's text; POST records the reminders, which a task sends."""

    def render_page(self, form: RemindForm, status: int = 200) -> HttpResponse:
        plan = selectors.reminder_plan(
            cohort=self.cohort, today=timezone.localdate(), names=REMIND_NAMES_SHOWN
        )
        return render(
            self.request,
            "courses/cohorts/remind.html",
            {
                "cohort": self.cohort,
                "course": self.cohort.course,
                "plan": plan,
                "form": form,
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page(RemindForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RemindForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            recorded = services.late_reminders_request(
                cohort=self.cohort, by=_user(request), message=form.cleaned_data["message"]
            )
        except services.CohortError as error:
            form.add_error(None, str(error))
            return self.render_page(form, status=400)
        if recorded:
            messages.success(
                request,
                ngettext(
                    "A reminder is being sent to %(count)d learner.",
                    "A reminder is being sent to %(count)d learners.",
                    recorded,
                )
                % {"count": recorded},
            )
        else:
            messages.info(
                request, _("Nobody was reminded: every learner behind was already reminded today.")
            )
        return redirect("courses:cohort_dashboard", pk=self.cohort.pk)


# --- learners ----------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class CohortJoinView(View):
    """The cohort's shared invitation link: log in or sign up, then join with one click."""

    def cohort_or_404(self, request: HttpRequest, token: str) -> Cohort | HttpResponse:
        cohort = selectors.cohort_by_invite_token(token=token)
        if cohort is None or not cohort.invite_open:
            return render(
                request,
                "courses/cohorts/link_invalid.html",
                {"closed": cohort is not None},
                status=404,
            )
        return cohort

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found = self.cohort_or_404(request, kwargs["token"])
        if isinstance(found, HttpResponse):
            return found
        member = request.user.is_authenticated and selectors.is_member(
            cohort=found, user=_user(request)
        )
        return render(
            request,
            "courses/cohorts/join.html",
            {
                "cohort": found,
                "course": found.course,
                "member": member,
                "next": urlencode({"next": request.path}),
            },
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        found = self.cohort_or_404(request, kwargs["token"])
        if isinstance(found, HttpResponse):
            return found
        services.cohort_join(cohort=found, user=_user(request))
        messages.success(
            request,
            _("You joined the cohort “%(name)s”. Complete the course by %(date)s.")
            % {"name": found.name, "date": found.deadline.strftime("%d/%m/%Y")},
        )
        return redirect(found.course.get_absolute_url())


@method_decorator(never_cache, name="dispatch")
class InvitationAcceptView(View):
    """A personal invitation from an imported list.

    Without an account yet: the link came to this address, so the address counts as verified
    (as django-invitations does with allauth): signing up with it needs no confirmation
    e-mail; signing up with another address goes through the usual confirmation.
    """

    def invitation_or_404(self, request: HttpRequest, token: str) -> Any:
        invitation = selectors.invitation_by_token(token=token)
        if invitation is None:
            return render(request, "courses/cohorts/link_invalid.html", {}, status=404)
        return invitation

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = self.invitation_or_404(request, kwargs["token"])
        if isinstance(invitation, HttpResponse):
            return invitation
        context: dict[str, Any] = {
            "invitation": invitation,
            "cohort": invitation.cohort,
            "course": invitation.cohort.course,
        }
        if invitation.expired:
            # Gone, not missing: it says when it expired and who can send it again.
            return render(request, "courses/cohorts/invitation.html", context, status=410)
        if request.user.is_authenticated:
            user = _user(request)
            context["member"] = selectors.is_member(cohort=invitation.cohort, user=user)
            context["wrong_account"] = user.email.lower() != invitation.email.lower()
        else:
            invited_email_remember(session=request.session, email=invitation.email)
            context["has_account"] = selectors.account_exists(email=invitation.email)
            context["signup_query"] = urlencode(
                {"email": invitation.email, "full_name": invitation.full_name, "next": request.path}
                if invitation.full_name
                else {"email": invitation.email, "next": request.path}
            )
            context["login_query"] = urlencode({"next": request.path})
        return render(request, "courses/cohorts/invitation.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        invitation = self.invitation_or_404(request, kwargs["token"])
        if isinstance(invitation, HttpResponse):
            return invitation
        try:
            services.invitation_accept(invitation=invitation, user=_user(request))
        except services.CohortError as error:
            messages.error(request, str(error))
            return redirect("courses:invitation_accept", token=invitation.token)
        cohort = invitation.cohort
        messages.success(
            request,
            _("You joined the cohort “%(name)s”. Complete the course by %(date)s.")
            % {"name": cohort.name, "date": cohort.deadline.strftime("%d/%m/%Y")},
        )
        return redirect(cohort.course.get_absolute_url())


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class RemindersUnsubscribeView(View):
    """The link in a reminder e-mail. GET asks (mail scanners follow links; a GET must not
    unsubscribe); POST unsubscribes. No login: the signed token is the proof. CSRF-exempt so
    that mail clients' one-click unsubscribe (RFC 8058, List-Unsubscribe-Post) works; the
    token, not a cookie, authorises the request, so a forged form gains nothing."""

    def membership_or_404(self, request: HttpRequest, token: str) -> Any:
        membership = selectors.membership_from_unsubscribe_token(token)
        if membership is None:
            return render(request, "courses/cohorts/link_invalid.html", {}, status=404)
        return membership

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = self.membership_or_404(request, kwargs["token"])
        if isinstance(membership, HttpResponse):
            return membership
        return render(
            request,
            "courses/cohorts/unsubscribe.html",
            {"membership": membership, "cohort": membership.cohort, "done": False},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = self.membership_or_404(request, kwargs["token"])
        if isinstance(membership, HttpResponse):
            return membership
        services.reminders_unsubscribe(membership=membership)
        return render(
            request,
            "courses/cohorts/unsubscribe.html",
            {"membership": membership, "cohort": membership.cohort, "done": True},
        )
