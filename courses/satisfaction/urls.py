"""The satisfaction questionnaire's results for course staff. Included by courses/urls.py
without a namespace of its own: names are ``courses:*satisfaction*``."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "courses/<slug:slug>/satisfaction/",
        views.CourseSatisfactionView.as_view(),
        name="satisfaction",
    ),
    path(
        "courses/<slug:slug>/satisfaction/export.csv",
        views.CourseSatisfactionExportView.as_view(),
        name="satisfaction_export",
    ),
    path(
        "cohorts/<int:pk>/satisfaction/",
        views.CohortSatisfactionView.as_view(),
        name="cohort_satisfaction",
    ),
    path(
        "cohorts/<int:pk>/satisfaction/export.csv",
        views.CohortSatisfactionExportView.as_view(),
        name="cohort_satisfaction_export",
    ),
]
