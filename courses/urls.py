from django.urls import include, path

from .accounts.views import ProfileView
from .authoring import views as authoring
from .catalog.views import CourseCoverView, CoursePresentationView
from .certificates import views as certificates
from .ingest.views import CourseManageView, ImportStateView
from .itembank import views as itembank
from .learning import views as learning
from .progress.views import CourseSettingsView
from .quizzes import views as quizzes
from .scorm.views import ScormExportView
from .teaching.views import TeachingHomeView

app_name = "courses"

urlpatterns = [
    path("", learning.CatalogView.as_view(), name="catalog"),
    path("dashboard/", learning.DashboardView.as_view(), name="dashboard"),
    # Course staff's home: their courses and cohorts, what needs them (courses/teaching).
    path("teaching/", TeachingHomeView.as_view(), name="teaching"),
    path("profile/", ProfileView.as_view(), name="profile"),
    # The privacy notice and people's rights over their data (courses/privacy).
    path("", include("courses.privacy.urls")),
    # Instructors' cohorts and learners joining them (courses/cohorts), and the reports on a
    # cohort's learning (courses/reporting).
    path("", include("courses.cohorts.urls")),
    path("", include("courses.reporting.urls")),
    # What learners say of a course at its end, for its staff (courses/satisfaction).
    path("", include("courses.satisfaction.urls")),
    path(
        "certificates/<str:code>/pdf/",
        certificates.CertificateDownloadView.as_view(),
        name="certificate_download",
    ),
    path(
        "certificates/<str:code>/rectify/",
        certificates.CertificateRectifyView.as_view(),
        name="certificate_rectify",
    ),
    path("courses/<slug:slug>/", learning.CourseDetailView.as_view(), name="course"),
    path("courses/<slug:slug>/enroll/", learning.EnrollView.as_view(), name="enroll"),
    path("courses/<slug:slug>/cover/", CourseCoverView.as_view(), name="course_cover"),
    path(
        "courses/<slug:slug>/presentation/",
        CoursePresentationView.as_view(),
        name="course_presentation",
    ),
    path("courses/<slug:slug>/manage/", CourseManageView.as_view(), name="course_manage"),
    path(
        "courses/<slug:slug>/structure/",
        authoring.CourseStructureView.as_view(),
        name="course_structure",
    ),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/edit/",
        authoring.LessonEditView.as_view(),
        name="lesson_edit",
    ),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/history/",
        authoring.LessonHistoryView.as_view(),
        name="lesson_history",
    ),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/edit/preview/",
        authoring.LessonPreviewView.as_view(),
        name="lesson_preview",
    ),
    path(
        "courses/<slug:slug>/manage/imports/",
        ImportStateView.as_view(),
        name="course_imports_state",
    ),
    path(
        "courses/<slug:slug>/settings/",
        CourseSettingsView.as_view(),
        name="course_settings",
    ),
    path("courses/<slug:slug>/resume/", learning.ResumeView.as_view(), name="resume"),
    path(
        "courses/<slug:slug>/completed/",
        learning.CourseCompletedView.as_view(),
        name="course_completed",
    ),
    path(
        "courses/<slug:slug>/completed/satisfaction/",
        learning.SatisfactionSubmitView.as_view(),
        name="satisfaction_submit",
    ),
    path(
        "courses/<slug:slug>/completed/certificate/",
        learning.CertificateStateView.as_view(),
        name="course_certificate_state",
    ),
    # Course staff download the course for another LMS (courses/scorm).
    path(
        "courses/<slug:slug>/scorm/<str:standard>/",
        ScormExportView.as_view(),
        name="scorm_export",
    ),
    path("courses/<slug:slug>/lessons/<int:pk>/", learning.LessonView.as_view(), name="lesson"),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/complete/",
        learning.LessonCompleteView.as_view(),
        name="lesson_complete",
    ),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/quiz/start/",
        quizzes.QuizStartView.as_view(),
        name="quiz_start",
    ),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/quiz/history/",
        quizzes.QuizHistoryView.as_view(),
        name="quiz_history",
    ),
    path("courses/<slug:slug>/quiz/<int:pk>/", quizzes.AttemptView.as_view(), name="quiz_attempt"),
    # "Voir comme apprenant·e": course staff see lessons and quizzes as learners do; nothing
    # is recorded.
    path(
        "courses/<slug:slug>/as-learner/",
        learning.CourseAsLearnerView.as_view(),
        name="course_as_learner",
    ),
    path(
        "courses/<slug:slug>/as-learner/lessons/<int:pk>/",
        learning.LessonAsLearnerView.as_view(),
        name="lesson_as_learner",
    ),
    path(
        "courses/<slug:slug>/as-learner/lessons/<int:pk>/quiz/start/",
        quizzes.QuizAsLearnerStartView.as_view(),
        name="quiz_as_learner_start",
    ),
    path(
        "courses/<slug:slug>/as-learner/lessons/<int:pk>/quiz/",
        quizzes.QuizAsLearnerView.as_view(),
        name="quiz_as_learner",
    ),
    path(
        "courses/<slug:slug>/as-learner/lessons/<int:pk>/quiz/result/",
        quizzes.QuizAsLearnerResultView.as_view(),
        name="quiz_as_learner_result",
    ),
    path(
        "courses/<slug:slug>/quiz/<int:pk>/save/",
        quizzes.AttemptAnswerView.as_view(),
        name="quiz_answer",
    ),
    path(
        "courses/<slug:slug>/quiz/<int:pk>/result/",
        quizzes.AttemptResultView.as_view(),
        name="quiz_result",
    ),
    path(
        "courses/<slug:slug>/extra-time/",
        quizzes.ExtraTimeListView.as_view(),
        name="extra_time_list",
    ),
    path(
        "courses/<slug:slug>/learners/<int:enrollment>/extra-time/",
        quizzes.ExtraTimeView.as_view(),
        name="extra_time",
    ),
    # Course staff manage the certificates of the learners who completed the course.
    path(
        "courses/<slug:slug>/certificates/",
        certificates.CourseCertificatesView.as_view(),
        name="certificate_list",
    ),
    path(
        "courses/<slug:slug>/certificates/<str:code>/",
        certificates.CertificateStaffView.as_view(),
        name="certificate_staff",
    ),
    path(
        "courses/<slug:slug>/certificates/<str:code>/revoke/",
        certificates.CertificateRevokeView.as_view(),
        name="certificate_revoke",
    ),
    path(
        "courses/<slug:slug>/certificates/<str:code>/reissue/",
        certificates.CertificateReissueView.as_view(),
        name="certificate_reissue",
    ),
    # Course staff review the generated questions (courses/itembank).
    path("courses/<slug:slug>/review/", itembank.ReviewIndexView.as_view(), name="review_index"),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/review/",
        itembank.LessonReviewView.as_view(),
        name="review_lesson",
    ),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/review/regenerate/",
        itembank.LessonRegenerateView.as_view(),
        name="review_regenerate",
    ),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/review/regenerate/state/",
        itembank.RegenerationStateView.as_view(),
        name="review_regeneration_state",
    ),
    path(
        "courses/<slug:slug>/lessons/<int:pk>/review/new/",
        itembank.ItemWriteView.as_view(),
        name="item_write",
    ),
    path(
        "courses/<slug:slug>/items/<int:pk>/review/",
        itembank.ItemReviewView.as_view(),
        name="item_review",
    ),
    path(
        "courses/<slug:slug>/items/<int:pk>/edit/",
        itembank.ItemEditView.as_view(),
        name="item_edit",
    ),
]
