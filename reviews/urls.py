from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("projets/<int:pk>/deposer/", views.submit, name="submit"),
    path("projets/<int:pk>/avis-reseau/", views.prevalidate, name="prevalidate"),
    path("projets/<int:pk>/conseil/", views.advise, name="advise"),
    path("projets/<int:pk>/reponse/", views.answer, name="answer"),
    path("projets/<int:pk>/renvoyer/", views.resubmit, name="resubmit"),
    path("projets/<int:pk>/rouvrir/", views.reopen, name="reopen"),
    path("projets/<int:pk>/retirer/", views.withdraw, name="withdraw"),
]
