"""The privacy notice and the rights people exercise from links and their profile. Included by
courses/urls.py: names are ``courses:privacy*``."""

from django.urls import path

from . import views

urlpatterns = [
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("profile/data/", views.PersonalDataExportView.as_view(), name="privacy_export"),
    path("profile/erase/", views.AccountEraseView.as_view(), name="privacy_erase"),
    path(
        "invitations/<str:token>/object/",
        views.InvitationObjectView.as_view(),
        name="privacy_invitation_object",
    ),
]
