"""The pages of the guide and of the footer's legal pages, written once: their address, name,
title, the line that sums them up and the parts their "Sommaire" lists. The URLconf, the side
menu, the guide's summary and the tests read this list.
"""

from dataclasses import dataclass

from projects import sections


@dataclass(frozen=True)
class Page:
    key: str  # also the template's name: reviews/guide/<key>.html
    path: str
    url_name: str  # in the reviews namespace
    title: str
    summary: str = ""
    anchors: tuple[tuple[str, str], ...] = ()  # (HTML id, label): the page's "Sommaire"
    legal: bool = False  # a page of the footer rather than of the guide

    @property
    def url(self) -> str:
        return f"reviews:{self.url_name}"


# The sheet's sections and its documents, each a part of the page on the sections: the edit
# form's fieldsets link to these anchors.
SECTION_ANCHORS = tuple((entry.guide_anchor, entry.title) for entry in sections.ASKABLE)

GUIDE = (
    Page(
        "index",
        "guide/",
        "guide",
        "Guide d'APS",
        "Ce que permet APS, l'essentiel en cinq étapes, qui peut vous aider.",
        (
            ("essentiel", "L'essentiel en cinq étapes"),
            ("pages", "Les pages du guide"),
            ("aide", "Qui peut vous aider ?"),
        ),
    ),
    Page(
        "filing",
        "guide/deposer-un-projet/",
        "guide_filing",
        "Saisir et déposer un projet",
        "Créer la fiche, enregistrer le brouillon, la liste « Avant le dépôt », l'estimation, "
        "les pièces jointes, le dépôt par le chef ou la cheffe d'établissement.",
        (
            ("creer", "Créer une fiche"),
            ("brouillon", "Enregistrer le brouillon"),
            ("avant-le-depot", "La liste « Avant le dépôt »"),
            ("estimation", "L'estimation du coût"),
            ("pieces-jointes", "Les pièces jointes"),
            ("depot", "Le dépôt"),
            ("dates-limites", "Les dates limites"),
            ("apres-le-depot", "Après le dépôt"),
        ),
    ),
    Page(
        "sections",
        "guide/rubriques-de-la-fiche/",
        "guide_sections",
        "Les rubriques de la fiche",
        "Ce qui est attendu dans chaque rubrique de la fiche projet.",
        SECTION_ANCHORS,
    ),
    Page(
        "means",
        "guide/moyens/",
        "guide_means",
        "HSE, IMP et crédits en euros",
        "Les règles de calcul de la campagne : heures de face-à-face et périphériques, parts "
        "d'IMP, devis des crédits en euros.",
        (
            ("hse", "Les HSE"),
            ("imp", "Les IMP"),
            ("euros", "Les crédits en euros"),
            ("autres-moyens", "Les autres moyens"),
        ),
    ),
    Page(
        "calendar",
        "guide/calendrier/",
        "guide_calendar",
        "Calendrier de la campagne",
        "Les dates de la campagne en cours : dépôts, réponses de la DSDEN, bilans.",
        (("dates", "Les dates de la campagne"), ("retard", "Après une date limite")),
    ),
    Page(
        "answers",
        "guide/avis-et-reponses/",
        "guide_answers",
        "Avis, conseils et réponses",
        "L'avis du réseau FOQUALE, les conseils MLDS, les trois réponses de la DSDEN et la "
        "demande de précisions.",
        (
            ("avis-du-reseau", "L'avis du réseau FOQUALE"),
            ("conseils-mlds", "Les conseils MLDS"),
            ("reponses", "Les trois réponses de la DSDEN"),
            ("precisions", "Répondre à une demande de précisions"),
        ),
    ),
    Page(
        "bilan",
        "guide/bilan-et-renouvellement/",
        "guide_bilan",
        "Bilan et renouvellement",
        "Le bilan intermédiaire financier, le bilan final, le renouvellement d'une action.",
        (
            ("bilan-intermediaire", "Le bilan intermédiaire financier"),
            ("bilan-final", "Le bilan final"),
            ("renouvellement", "Renouveler une action"),
        ),
    ),
    Page(
        "reviewers",
        "guide/instruction/",
        "guide_reviewers",
        "Pour le réseau, la MLDS et la DSDEN",
        "Ce que font dans APS les responsables de réseau FOQUALE, les coordonnateurs MLDS, la "
        "DSDEN et l'académie.",
        (
            ("reseau", "Responsable de réseau FOQUALE"),
            ("mlds", "Coordonnateur·rice-conseil MLDS"),
            ("dsden", "DSDEN"),
            ("academie", "Académie"),
        ),
    ),
)

LEGAL = (
    Page(
        "accessibility",
        "accessibilite/",
        "accessibility",
        "Déclaration d'accessibilité",
        anchors=(
            ("etat", "État de conformité"),
            ("verifications", "Vérifications faites"),
            ("non-accessible", "Contenus non accessibles"),
            ("etablissement", "Établissement de cette déclaration"),
            ("contact", "Retour d'information et contact"),
            ("recours", "Voies de recours"),
        ),
        legal=True,
    ),
    Page("legal_notice", "mentions-legales/", "legal_notice", "Mentions légales", legal=True),
    Page(
        "personal_data",
        "donnees-personnelles/",
        "personal_data",
        "Données personnelles",
        anchors=(
            ("responsable", "Responsable et finalité"),
            ("donnees", "Les données enregistrées"),
            ("acces", "Qui voit quoi"),
            ("conservation", "Durées de conservation"),
            ("cookies", "Cookies"),
            ("droits", "Vos droits"),
        ),
        legal=True,
    ),
)

PAGES = {page.key: page for page in (*GUIDE, *LEGAL)}
