from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    AccessRecord,
    Certificate,
    Cohort,
    CohortMembership,
    Course,
    Enrollment,
    Invitation,
    Lesson,
    LessonProgress,
    Module,
    QuestionItem,
    QuizAttempt,
    User,
)
from .privacy.services import ErasureRefused, account_erase

# Django's permission groups: not a notion of the site (see UserAdmin.fieldsets).
admin.site.unregister(Group)
admin.site.site_header = _("OncoForma administration")
admin.site.site_title = _("OncoForma administration")
admin.site.index_title = _("Courses, learners and progress")


class PickerWithoutClearAll(AutocompleteSelectMultiple):
    """A many-people picker without select2's "remove all" cross: each person chosen has a
    cross of their own, and select2 draws that one as a bare <span> inside its <ul> (no list
    for a screen reader)."""

    def build_attrs(self, base_attrs, extra_attrs=None):  # type: ignore[no-untyped-def]
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs


class PickersAdmin(admin.ModelAdmin):
    """Its many-people autocomplete pickers are PickerWithoutClearAll."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PickerWithoutClearAll(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CourseContentAdmin(admin.ModelAdmin):
    """A course, its modules, lessons and questions: the admin's bulk deletion deletes them one
    by one, through the models' delete(), which renews the course's cache stamp (a cached
    lesson page would otherwise outlive its lesson; models.catalog.course_stamps_renew)."""

    def delete_queryset(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        for obj in queryset:
            obj.delete()


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the site only, never changed or deleted by hand: issued certificates
    (revoked and re-issued from the course's staff pages), the record of accesses (deleted by
    the retention task)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role_shown", "is_active", "last_login", "erased_at"]
    list_filter = ["role", "is_superuser", "is_active", ("erased_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "full_name", "professional_id"]

    # The fields whose pickers offer course staff only (autocomplete_fields elsewhere).
    STAFF_PICKERS = {"instructors", "co_instructors", "owner"}

    @admin.display(description=_("role"), ordering="role")
    def role_shown(self, user: User) -> str:
        """An administrator is one, whatever role the account was given."""
        return str(_("Administrator")) if user.is_superuser else user.get_role_display()

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        """For a course's instructors and a cohort's owner and co-instructors, the pickers
        search course staff only, never the learners (there are thousands)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") in self.STAFF_PICKERS:
            queryset = queryset.filter(
                models.Q(role=User.Role.INSTRUCTOR) | models.Q(is_superuser=True),
                is_active=True,
            )
        return queryset, may_have_duplicates

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identity"), {"fields": ("full_name", "professional_id", "role")}),
        # The site's roles (learner, instructor) and the administrator's flag are what it uses:
        # Django's permission groups and per-user permissions are not offered (their names,
        # "auth | groupe | Can add group", are half English and name no role of the site).
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ["erase_accounts"]

    @admin.action(description=_("Erase the selected accounts (RGPD, on request)"))
    def erase_accounts(self, request, queryset) -> None:
        erased = 0
        for user in queryset.filter(erased_at__isnull=True):
            try:
                account_erase(user=user, by=request.user, why="request to an administrator")
            except ErasureRefused as error:
                self.message_user(request, f"{user.email}: {error}", level=messages.ERROR)
            else:
                erased += 1
        self.message_user(
            request,
            ngettext("%(count)d account erased.", "%(count)d accounts erased.", erased)
            % {"count": erased},
        )


class ModuleInline(admin.TabularInline):
    model = Module
    fields = ["position", "title", "source_name", "imported_at"]
    readonly_fields = ["imported_at"]
    extra = 0
    show_change_link = True


@admin.register(Course)
class CourseAdmin(PickersAdmin, CourseContentAdmin):
    list_display = [
        "title",
        "slug",
        "is_published",
        "contact_hours",
        "completion_rule",
        "updated_at",
    ]
    list_filter = ["is_published", "completion_rule"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "description", "language", "is_published")}),
        (_("Staff"), {"fields": ("instructors",)}),
        (
            _("Quizzes"),
            {
                "fields": (
                    "quiz_questions",
                    "pass_mark",
                    "max_attempts",
                    "review_release",
                    "partial_credit",
                    "multiple_count_shown",
                )
            },
        ),
        (
            _("Completion and certificates"),
            {"fields": ("completion_rule", "contact_hours", "certificate_validity_months")},
        ),
    )
    search_fields = ["title", "slug"]
    autocomplete_fields = ["instructors"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleInline]


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["position", "title", "version", "archived_at"]
    readonly_fields = ["version"]
    extra = 0
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(CourseContentAdmin):
    list_display = ["title", "course", "position", "source_name", "encoding", "imported_at"]
    list_filter = ["course"]
    search_fields = ["title", "source_name"]
    readonly_fields = ["content_hash", "encoding", "imported_at"]
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(CourseContentAdmin):
    list_display = ["title", "module", "position", "version", "archived_at"]
    list_filter = ["module__course", "archived_at"]
    search_fields = ["title", "text"]
    list_select_related = ["module"]
    # The text is edited in the course's editor, which keeps every version (LessonVersion) and
    # previews it: here it is shown, with a link there.
    fields = ["module", "title", "position", "editor", "version", "archived_at", "edited_at"]
    readonly_fields = ["editor", "version", "archived_at", "edited_at"]

    @admin.display(description=_("Text"))
    def editor(self, lesson: Lesson) -> str:
        if lesson.pk is None:
            return "—"
        url = reverse(
            "courses:lesson_edit", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk}
        )
        return format_html(
            '<a href="{}">{}</a> ({})',
            url,
            _("Edit the text in the course's editor"),
            ngettext("%(count)d character", "%(count)d characters", len(lesson.text))
            % {"count": len(lesson.text)},
        )

    def has_add_permission(self, request) -> bool:
        return False  # lessons come from an import or the course's structure page


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "enrolled_at", "last_activity_at", "extra_time_percent"]
    # Extra time on timed quizzes (tiers-temps) is set here or on the course's own staff page.
    list_editable = ["extra_time_percent"]
    list_filter = ["course", "enrolled_at", "last_activity_at"]
    search_fields = ["user__email", "user__full_name", "course__title"]
    list_select_related = ["user", "course"]
    raw_id_fields = ["user", "last_lesson"]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "lesson", "lesson_version", "completed_at"]
    list_select_related = ["enrollment__user", "enrollment__course", "lesson"]
    raw_id_fields = ["enrollment", "lesson"]


@admin.register(QuestionItem)
class QuestionItemAdmin(CourseContentAdmin):
    list_display = ["stem", "lesson", "kind", "status", "edited", "updated_at"]
    list_filter = ["status", "kind", "lesson__module__course"]
    search_fields = ["stem"]
    list_select_related = ["lesson"]
    raw_id_fields = ["lesson", "reviewed_by"]
    # Written by the generator: what it used, and the identity that re-generation finds again.
    readonly_fields = ["fingerprint", "generation", "created_at", "updated_at"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    """Graded records: looked at, never changed by hand."""

    list_display = [
        "enrollment",
        "lesson",
        "number",
        "started_at",
        "submitted_at",
        "score",
        "total",
        "passed",
    ]
    list_filter = ["passed", "lesson__module__course", "submitted_at"]
    search_fields = ["enrollment__user__email", "enrollment__user__full_name", "lesson__title"]
    list_select_related = ["enrollment__user", "enrollment__course", "lesson"]
    date_hierarchy = "started_at"
    # The questions as the learner saw them and what she chose, not the JSON they are kept in.
    fields = [
        "enrollment",
        "lesson",
        "number",
        "started_at",
        "deadline",
        "submitted_at",
        "score",
        "total",
        "points",
        "pass_mark",
        "partial_credit",
        "passed",
        "questions_shown",
    ]

    @admin.display(description=_("questions shown"))
    def questions_shown(self, attempt: QuizAttempt) -> str:
        chosen = {
            answer.position: set(answer.options or [answer.option])
            for answer in attempt.answers.all()
        }
        questions = []
        for position, question in enumerate(attempt.items):
            snapshot = question["snapshot"]
            keys = set(snapshot.get("answers") or [snapshot["answer"]])
            picked = chosen.get(position, set())
            options = format_html_join(
                "",
                "<li>{}{}{}</li>",
                (
                    (
                        snapshot["options"][index],
                        format_html(" <strong>({})</strong>", _("right answer"))
                        if index in keys
                        else "",
                        format_html(" <em>({})</em>", _("chosen")) if index in picked else "",
                    )
                    for index in question["order"]
                ),
            )
            questions.append(
                format_html("<li><p>{}</p><ul>{}</ul></li>", snapshot["stem"], options)
            )
        return format_html("<ol>{}</ol>", format_html_join("", "{}", ((q,) for q in questions)))


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    """Read-only: an issued certificate never changes (revoke and re-issue from the course's
    staff pages, which keep the original verifiable)."""

    list_display = ["code", "full_name", "course_title", "issued_at", "status", "duplicate_of"]
    list_filter = ["issued_at", "revoked_at"]
    search_fields = ["code", "full_name", "course_title", "enrollment__user__email"]
    list_select_related = ["duplicate_of"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        """Not the certificates of erased accounts: they verify publicly (by their code) until
        the retention ends, and show nowhere else."""
        return super().get_queryset(request).filter(enrollment__user__erased_at__isnull=True)


class CohortMembershipInline(admin.TabularInline):
    model = CohortMembership
    extra = 0
    raw_id_fields = ["enrollment"]
    readonly_fields = ["joined_at"]


@admin.register(Cohort)
class CohortAdmin(PickersAdmin):
    """Instructors manage their cohorts from the site's own pages (menu "Cohorts"); this is the
    administrators' view of all of them."""

    list_display = ["name", "course", "owner", "starts_on", "ends_on", "deadline"]
    list_filter = ["course"]
    search_fields = ["name", "owner__email"]
    list_select_related = ["course", "owner"]
    autocomplete_fields = ["owner", "co_instructors"]
    readonly_fields = ["invite_token", "created_at"]
    inlines = [CohortMembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "cohort", "created_at", "sent_at", "accepted_at"]
    list_filter = ["cohort__course"]
    search_fields = ["email", "full_name", "cohort__name"]
    list_select_related = ["cohort"]
    raw_id_fields = ["cohort", "invited_by"]
    readonly_fields = ["token", "created_at", "sent_at", "accepted_at"]


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    """Who saw or took whose data, when: read only (the retention task deletes the old)."""

    list_display = ["at", "by", "action", "subject", "cohort", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["by__email", "subject__email", "cohort__name"]
    list_select_related = ["by", "subject", "cohort"]
    date_hierarchy = "at"
