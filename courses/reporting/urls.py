"""Course staff following a cohort. Included by courses/urls.py without a namespace of its own:
names are ``courses:cohort_*``, beside the cohort's other pages (courses/cohorts/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cohorts/<int:pk>/", views.CohortDashboardView.as_view(), name="cohort_dashboard"),
    path(
        "cohorts/<int:pk>/learners/<int:member>/",
        views.CohortLearnerView.as_view(),
        name="cohort_learner",
    ),
    path(
        "cohorts/<int:pk>/statistics/",
        views.CohortStatisticsView.as_view(),
        name="cohort_statistics",
    ),
    path(
        "cohorts/<int:pk>/quizzes/<int:lesson>/analysis/",
        views.ItemAnalysisView.as_view(),
        name="cohort_item_analysis",
    ),
    path(
        "cohorts/<int:pk>/export.<str:fmt>",
        views.CohortExportView.as_view(),
        name="cohort_export",
    ),
]
