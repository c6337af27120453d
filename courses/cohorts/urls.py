"""Cohort pages: managing cohorts, enrolling learners, learners joining. Included by
courses/urls.py without a namespace of its own: names are ``courses:cohort_*`` (the reports
on a cohort are courses/reporting/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    # Course staff: managing cohorts and enrolling learners (views.py).
    path("cohorts/", views.CohortListView.as_view(), name="cohort_list"),
    path(
        "courses/<slug:slug>/cohorts/new/", views.CohortCreateView.as_view(), name="cohort_create"
    ),
    path("cohorts/<int:pk>/edit/", views.CohortEditView.as_view(), name="cohort_edit"),
    path("cohorts/<int:pk>/share/", views.CohortShareView.as_view(), name="cohort_share"),
    path("cohorts/<int:pk>/enrol/", views.CohortEnrolView.as_view(), name="cohort_enrol"),
    path("cohorts/<int:pk>/enrol/link/", views.InviteLinkView.as_view(), name="cohort_invite_link"),
    path("cohorts/<int:pk>/enrol/import/", views.RosterUploadView.as_view(), name="cohort_import"),
    path(
        "cohorts/<int:pk>/enrol/import/confirm/",
        views.RosterConfirmView.as_view(),
        name="cohort_import_confirm",
    ),
    path(
        "cohorts/<int:pk>/enrol/invitations/<int:invitation>/resend/",
        views.InvitationResendView.as_view(),
        name="cohort_invitation_resend",
    ),
    path("cohorts/<int:pk>/remind/", views.CohortRemindView.as_view(), name="cohort_remind"),
    path(
        "cohorts/<int:pk>/learners/<int:member>/remove/",
        views.MemberRemoveView.as_view(),
        name="cohort_member_remove",
    ),
    # Learners: joining, invitations, reminders (views.py).
    path("cohorts/join/<str:token>/", views.CohortJoinView.as_view(), name="cohort_join"),
    path(
        "invitations/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path(
        "reminders/unsubscribe/<str:token>/",
        views.RemindersUnsubscribeView.as_view(),
        name="reminders_unsubscribe",
    ),
]
