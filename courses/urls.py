from django.urls import path

from .accounts.views import ProfileView
from .catalog import views as catalog
from .ingest.views import CourseManageView

app_name = "courses"

urlpatterns = [
    path("", catalog.CatalogView.as_view(), name="catalog"),
    path("dashboard/", catalog.DashboardView.as_view(), name="dashboard"),
    path("profile/", ProfileView.as_view(), name="profile"),
    path("courses/<slug:slug>/", catalog.CourseDetailView.as_view(), name="course"),
    path("courses/<slug:slug>/enroll/", catalog.EnrollView.as_view(), name="enroll"),
    path("courses/<slug:slug>/manage/", CourseManageView.as_view(), name="course_manage"),
    path("courses/<slug:slug>/resume/", catalog.ResumeView.as_view(), name="resume"),
    path("courses/<slug:slug>/lessons/<int:pk>/", catalog.LessonView.as_view(), name="lesson"),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/complete/",
        catalog.LessonCompleteView.as_view(),
        name="lesson_complete",
    ),
]
