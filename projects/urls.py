from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("etablissements/", views.establishment_list, name="establishment_list"),
    path("etablissements/<str:uai>/", views.establishment_detail, name="establishment_detail"),
]
