from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("projets/<int:pk>/estimation/", views.estimate, name="estimate"),
    path(
        "projets/<int:pk>/estimation/classeur.xlsx",
        views.estimate_download,
        name="estimate_download",
    ),
    path("projets/<int:pk>/estimation/import/", views.estimate_import, name="estimate_import"),
    path("estimation/modele.xlsx", views.estimate_template, name="estimate_template"),
    path("enveloppes/", views.envelope_list, name="envelope_list"),
]
