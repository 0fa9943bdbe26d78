from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from aps import health, proconnect
from aps import views as aps_views
from reviews.desk import views as desk_views

admin.site.site_header = "APS — administration"
admin.site.site_title = "APS"
admin.site.index_title = "Paramétrage de l'application"

urlpatterns = [
    path("", desk_views.home, name="home"),
    path(
        "connexion/",
        aps_views.LoginView.as_view(),
        name="login",
    ),
    path("connexion/proconnect/", proconnect.LoginStart.as_view(), name="proconnect_login"),
    path(
        "connexion/proconnect/retour/",
        proconnect.LoginCallback.as_view(),
        name="proconnect_callback",
    ),
    path("deconnexion/", aps_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/",
        aps_views.password_login_only(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        aps_views.password_login_only(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "mot-de-passe/oubli/",
        aps_views.password_login_only(aps_views.PasswordResetRequestView.as_view()),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        aps_views.password_login_only(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        aps_views.password_login_only(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        aps_views.password_login_only(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        aps_views.invitation_accept,
        name="invitation_accept",
    ),
    path("", include("projects.urls")),
    path("", include("funding.urls")),
    path("", include("reviews.urls")),
    # Before the admin's own: its login follows PASSWORD_LOGIN.
    path("admin/login/", aps_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("favicon.ico", aps_views.favicon),
    # The load balancer's and the monitoring's probe (no login, no data).
    path("healthz", health.healthz, name="healthz"),
]
