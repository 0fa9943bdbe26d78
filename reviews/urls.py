"""The pages of the reviews app, by package: the desk (read side), the workflow's
transitions, the bilan, the documents, the guide and the footer's legal pages."""

from django.urls import path

from .bilans import views as bilans
from .desk import commission_views as commissions
from .desk import preparation_views as preparation
from .desk import thread_views as thread
from .desk import views as desk
from .documents import views as documents
from .guide import views as guide
from .guide.pages import PAGES
from .workflow import views as workflow

app_name = "reviews"

urlpatterns = [
    path("projets/", desk.sheet_list, name="sheet_list"),
    path("projets/export.xlsx", desk.sheet_list_export, name="sheet_list_export"),
    path(
        "projets/pieces-jointes.zip",
        desk.sheet_list_attachments,
        name="sheet_list_attachments",
    ),
    path("projets/export-pdf/", desk.bulk_pdf_request, name="bulk_pdf"),
    path("projets/<int:pk>/", desk.sheet_detail, name="sheet_detail"),
    path("projets/<int:pk>/deposer/", workflow.submit, name="submit"),
    path("projets/<int:pk>/avis-reseau/", workflow.prevalidate, name="prevalidate"),
    path("projets/<int:pk>/conseil/", desk.advise, name="advise"),
    path("projets/<int:pk>/messages/", thread.message_post, name="message_post"),
    path(
        "projets/<int:pk>/messages/<int:attachment_pk>/",
        thread.message_attachment,
        name="message_attachment",
    ),
    path("projets/<int:pk>/note/", preparation.note_add, name="note_add"),
    path("projets/<int:pk>/attribuer/", preparation.assign, name="assign"),
    path("projets/<int:pk>/suivre/", preparation.follow, name="follow"),
    path("projets/<int:pk>/etiquettes/", preparation.sheet_labels, name="sheet_labels"),
    path("projets/selection/", preparation.list_action, name="list_action"),
    path("etiquettes/", preparation.labels, name="labels"),
    path("etiquettes/<int:label_pk>/supprimer/", preparation.label_delete, name="label_delete"),
    path("commissions/", commissions.commission_list, name="commission_list"),
    path("commissions/<int:pk>/", commissions.commission_detail, name="commission_detail"),
    path(
        "commissions/<int:pk>/propositions/",
        commissions.commission_proposals,
        name="commission_proposals",
    ),
    path("commissions/<int:pk>/decision/", commissions.commission_decide, name="commission_decide"),
    path("commissions/<int:pk>/retirer/", commissions.commission_remove, name="commission_remove"),
    path("commissions/<int:pk>/pdf/", commissions.commission_pdf, name="commission_pdf"),
    path("projets/<int:pk>/reponse/", workflow.answer, name="answer"),
    path("projets/<int:pk>/renvoyer/", workflow.resubmit, name="resubmit"),
    path("projets/<int:pk>/rouvrir/", workflow.reopen, name="reopen"),
    path("projets/<int:pk>/retirer/", workflow.withdraw, name="withdraw"),
    path("projets/<int:pk>/bilan/<str:stage>/", bilans.bilan, name="bilan"),
    path("projets/<int:pk>/fiche.pdf", documents.sheet_pdf, name="sheet_pdf"),
    path("projets/<int:pk>/accuse-de-depot.pdf", documents.receipt_pdf, name="receipt_pdf"),
    path("statistiques/", desk.statistics_page, name="statistics"),
    path("mise-en-route/", desk.setup_page, name="setup"),
    path("statistiques/export.xlsx", desk.statistics_export, name="statistics_export"),
    path("exports/<int:pk>/", documents.bulk_export, name="bulk_export"),
    path(
        "exports/<int:pk>/fiches.pdf",
        documents.bulk_export_download,
        name="bulk_export_download",
    ),
    # The guide and the footer's legal pages, one address each (reviews.guide.pages).
    *(path(p.path, guide.page, {"key": p.key}, name=p.url_name) for p in PAGES.values()),
]
