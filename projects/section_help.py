"""What is expected in each section of the sheet, in the vadémécum's words: the guide's page
on the sections shows it, and each fieldset of the edit form links to it
(``Section.guide_anchor``). Keyed by the section keys of ``projects.sections`` (and the stored
values of the field and the typology), so that a section renamed keeps its help.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionHelp:
    expected: str  # what the section is for, in a sentence or two
    # What to write, field by field or question by question: a text, or (the field's name as
    # the form labels it, the text).
    points: tuple[str | tuple[str, str], ...] = ()
    caution: str = ""  # what not to do, shown apart

    @property
    def items(self) -> list[tuple[str, str]]:
        """The points as (label, text), the label empty for a point that names no field."""
        return [point if isinstance(point, tuple) else ("", point) for point in self.points]


HELP = {
    "header": SectionHelp(
        "Ce qui identifie l'action dans les listes, les courriels et la fiche PDF.",
        (
            (
                "Titre de l'action",
                "court et parlant, il dit ce que fait l'action (par exemple "
                "« Atelier relais du mercredi pour les élèves de 4e »). Il tient sur une ligne.",
            ),
            (
                "Porteur de l'action",
                "l'établissement (collège ou lycée) ou le réseau FOQUALE "
                "qui porte l'action, quand vous pouvez en choisir plusieurs. Le département et le "
                "district sont ceux du porteur.",
            ),
            (
                "Renouvellement",
                "cochez la case si l'action a déjà été menée une année "
                "précédente. Le bilan de l'année précédente est alors obligatoire. Une fiche "
                "créée avec le bouton « Renouveler l'action » l'est déjà.",
            ),
        ),
    ),
    "diagnostic": SectionHelp(
        "Tout projet répond à une problématique de l'établissement ou du district : la "
        "réponse doit être adaptée à ce qui a été observé sur place.",
        (
            (
                "Problématique",
                "sur quoi voulez-vous agir ? Décrivez la situation que vous "
                "observez et les élèves qu'elle touche.",
            ),
            (
                "Indicateurs qualitatifs",
                "problématiques récurrentes repérées dès la rentrée et "
                "tout au long de l'année, bilans des conseils de classe, retours du GPDS et des "
                "autres instances (conseil pédagogique, cellule de veille…).",
            ),
            (
                "Indicateurs quantitatifs",
                "taux d'absentéisme, nombre d'exclusions de cours, de "
                "retards, de passages à l'infirmerie, analyse des tests de positionnement et des "
                "résultats scolaires… Donnez des chiffres et la période qu'ils couvrent : vous "
                "les comparerez au bilan.",
            ),
        ),
    ),
    "typology": SectionHelp(
        "Le champ dit à quels élèves s'adresse l'action ; la typologie dit quelle forme elle "
        "prend. Choisissez la typologie la plus proche de votre action.",
    ),
    "objectives": SectionHelp(
        "Trois objectifs au plus, à court, moyen ou long terme.",
        (
            "Un objectif dit ce qui doit changer pour les élèves (assiduité, estime de soi, "
            "projet d'avenir, maîtrise de la langue, lien avec les familles…).",
            "Préférez des objectifs que l'on pourra vérifier : le bilan reprendra chacun d'eux.",
        ),
    ),
    "criteria": SectionHelp(
        "Trois critères au plus : comment saurez-vous que l'action a été efficace ?",
        (
            "Reprenez les indicateurs du diagnostic quand c'est possible (par exemple : "
            "évolution du taux d'absentéisme des élèves suivis, nombre d'exclusions de cours "
            "sur l'année).",
            "Un critère se mesure ou s'observe : le bilan final dira ce qu'il a donné.",
        ),
    ),
    "public": SectionHelp(
        "Les actions d'intervention s'adressent aux élèves de collège et de lycée, toujours "
        "scolarisés et inscrits dans la base élèves de l'année en cours, qui présentent des "
        "signes de décrochage.",
        (
            (
                "Nombre prévisionnel d'élèves",
                "le nombre d'élèves que l'action doit toucher ; le "
                "bilan final demandera le nombre réellement touché.",
            ),
            ("Niveaux", "par exemple « 4e et 3e » ou « 2de professionnelle »."),
            ("Profils des élèves", "leurs besoins et ce qui les rassemble, sans les nommer."),
            (
                "Critères et moyens de repérage",
                "comment les élèves sont repérés et suivis — par "
                "le GPDS de l'établissement, et saisis dans l'application Parcours En Ligne.",
            ),
        ),
        "N'écrivez jamais le nom d'un élève dans la fiche : décrivez des profils et des nombres.",
    ),
    "organisation": SectionHelp(
        "Comment l'action se déroule concrètement.",
        (
            "Emploi du temps, déroulement des séances, lieu (dans l'établissement ou chez un "
            "partenaire).",
            "Comment l'action s'articule avec les actions de droit commun et s'inscrit dans "
            "le projet d'établissement.",
            "Qui la coordonne, et quelles modalités d'accompagnement sont prévues pour les élèves.",
        ),
    ),
    "calendar": SectionHelp(
        "Les trois temps de l'action : préparation, déroulement, bilan.",
        (
            (
                "Date de lancement et date de fin",
                "elles doivent tomber dans les deux années de "
                "la campagne (du 1er janvier de la première au 31 décembre de la seconde).",
            ),
            ("Temps forts", "réunions de lancement, sorties, restitution, moments de bilan…"),
        ),
    ),
    "staff": SectionHelp(
        "Qui, dans l'établissement, fait vivre l'action.",
        (
            "Nombre de personnels mobilisés et leur qualité : professeurs, CPE, référent "
            "décrochage, assistant·e social·e, infirmier·e, psychologue de l'Éducation "
            "nationale…",
            "Le GPDS doit être associé à la réflexion et à la conception de tout projet.",
            "Les noms des personnes qui recevront une IMP se saisissent dans l'estimation du "
            "coût, pas ici.",
        ),
    ),
    "partners": SectionHelp(
        "Les partenaires extérieurs et leur rôle dans l'action.",
        (
            "Associations, collectivités, entreprises, CIO, mission locale… et ce que chacun "
            "apporte.",
            "Avec un prestataire de service, une convention est signée entre l'établissement "
            "porteur et le prestataire après un vote du conseil d'administration.",
        ),
    ),
    "means": SectionHelp(
        "À quoi serviront les moyens demandés à la DSDEN. Les montants eux-mêmes ne se "
        "saisissent pas ici : ils sont calculés par l'estimation du coût.",
        (
            (
                "Utilisation envisagée",
                "ce que financeront les crédits en euros, les HSE et les "
                "IMP, ligne par ligne de l'estimation.",
            ),
            "Citez aussi les autres moyens mobilisés : ressources de l'établissement (PACTE, "
            "HSE, IMP, DGFL…), Région (budget d'autonomie des lycées), fonds européens, "
            "« Notre école, faisons-la ensemble », politique de la ville, autres "
            "collectivités, fondations.",
        ),
    ),
    "attachments": SectionHelp(
        "Les documents joints à la fiche, dans le cadre « Pièces jointes » de la page de "
        "modification.",
        (
            "Un devis conforme pour chaque ligne en euros de l'estimation (nature « Devis »).",
            "Pour un renouvellement, le bilan de l'année précédente, si l'action de l'an "
            "dernier n'a pas été saisie dans APS.",
            "Fichiers PDF, PNG, JPEG, XLSX, DOCX ou ODT, de 10 Mo au plus ; un document "
            "bureautique contenant des macros est refusé.",
        ),
    ),
    "estimate": SectionHelp(
        "Le calcul des moyens demandés à partir de la planification de l'action : il est "
        "obligatoire et remplit les moyens demandés de la fiche.",
    ),
}


def help_for(key: str) -> SectionHelp:
    """The help of a section (or document) key; an unknown key is a programming error."""
    return HELP[key]
