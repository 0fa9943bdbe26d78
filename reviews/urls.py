from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("projets/", views.sheet_list, name="sheet_list"),
    path("projets/export.xlsx", views.sheet_list_export, name="sheet_list_export"),
    path("projets/<int:pk>/deposer/", views.submit, name="submit"),
    path("projets/<int:pk>/avis-reseau/", views.prevalidate, name="prevalidate"),
    path("projets/<int:pk>/conseil/", views.advise, name="advise"),
    path("projets/<int:pk>/reponse/", views.answer, name="answer"),
    path("projets/<int:pk>/renvoyer/", views.resubmit, name="resubmit"),
    path("projets/<int:pk>/rouvrir/", views.reopen, name="reopen"),
    path("projets/<int:pk>/retirer/", views.withdraw, name="withdraw"),
    path("projets/<int:pk>/bilan/<str:stage>/", views.bilan, name="bilan"),
    path("projets/<int:pk>/fiche.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("projets/export-pdf/", views.bulk_pdf_request, name="bulk_pdf"),
    path("statistiques/", views.statistics_page, name="statistics"),
    path("statistiques/export.xlsx", views.statistics_export, name="statistics_export"),
    path("exports/<int:pk>/", views.bulk_export, name="bulk_export"),
    path("exports/<int:pk>/fiches.pdf", views.bulk_export_download, name="bulk_export_download"),
]
