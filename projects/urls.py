from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("etablissements/", views.establishment_list, name="establishment_list"),
    path("etablissements/<str:uai>/", views.establishment_detail, name="establishment_detail"),
    path("etablissements/<str:uai>/equipe/", views.team_invite, name="team_invite"),
    path(
        "etablissements/<str:uai>/equipe/<int:membership_pk>/retirer/",
        views.team_remove,
        name="team_remove",
    ),
    path(
        "etablissements/<str:uai>/equipe/<int:membership_pk>/inviter/",
        views.team_reinvite,
        name="team_reinvite",
    ),
    path("projets/nouveau/", views.sheet_create, name="sheet_create"),
    path("projets/<int:pk>/modifier/", views.sheet_edit, name="sheet_edit"),
    path("projets/<int:pk>/supprimer/", views.sheet_delete, name="sheet_delete"),
    path("projets/<int:pk>/renouveler/", views.sheet_renew, name="sheet_renew"),
    path("projets/<int:pk>/pieces/", views.attachment_add, name="attachment_add"),
    path(
        "projets/<int:pk>/pieces/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "projets/<int:pk>/pieces/<int:attachment_pk>/supprimer/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
