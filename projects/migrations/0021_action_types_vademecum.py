"""The vadémécum's champs and typologies become the default list of ActionType (no académie,
no campaign). The sheets keep their keys: the same keys, now read from this list. A copy of
``projects.action_types.VADEMECUM`` as it was written (a migration does not import the code).
"""

from django.db import migrations

# (kind, key, label, description[, parent's key])
VADEMECUM = [
    (
        "field",
        "intervention",
        "Intervention (élèves scolarisés présentant des signes de décrochage)",
        "Prévenir le décrochage d'un élève ou d'un groupe d'élèves encore scolarisés qui en "
        "présentent les signes, et éviter une sortie précoce du système scolaire.",
    ),
    (
        "field",
        "remediation",
        "Remédiation",
        "Sécuriser le parcours d'élèves qui ont déjà décroché, par des solutions de retour en "
        "formation adaptées à leurs besoins.",
    ),
    (
        "typology",
        "parcours_individualise",
        "Parcours individualisé",
        "Un aménagement de l'emploi du temps de l'élève.",
    ),
    (
        "typology",
        "pafi",
        "Parcours aménagé de formation initiale (PAFI)",
        "Un parcours personnalisé, pour l'essentiel hors de l'établissement avec des "
        "partenaires : il fait l'objet d'un contrat, d'un accompagnement par un référent de "
        "l'établissement et d'un bilan qui valorise les compétences acquises.",
    ),
    (
        "typology",
        "pafi_tdo",
        "PAFI-TDO (15 ans et plus)",
        "Le PAFI des élèves de 15 ans et plus.",
        "pafi",
    ),
    (
        "typology",
        "module_relais",
        "Module relais en établissement",
        "Quelques heures par semaine d'activités menées selon une pédagogie différente, autour "
        "du projet d'avenir, de l'estime de soi, de l'ouverture culturelle…",
    ),
    (
        "typology",
        "module_fls",
        "Module français langue seconde (FLS)",
        "Un module axé sur la maîtrise de la langue : atelier d'écriture, lecture, soutien "
        "linguistique…",
    ),
    (
        "typology",
        "familles",
        "Action en faveur des familles",
        "Une action de l'établissement qui renforce le lien avec les familles, pour favoriser "
        "la coéducation.",
    ),
    (
        "typology",
        "autre",
        "Autre : action collective de sécurisation des transitions",
        "Une action collective de sécurisation des transitions des élèves.",
    ),
]


def seed(apps, schema_editor):
    ActionType = apps.get_model("projects", "ActionType")
    made = {}
    for position, row in enumerate(VADEMECUM):
        kind, key, label, description, *parent = row
        made[key], _ = ActionType.objects.get_or_create(
            kind=kind,
            key=key,
            academy=None,
            campaign=None,
            defaults={
                "label": label,
                "description": description,
                "position": position,
                "parent": made.get(parent[0]) if parent else None,
            },
        )


def unseed(apps, schema_editor):
    ActionType = apps.get_model("projects", "ActionType")
    ActionType.objects.filter(academy=None, campaign=None).exclude(parent=None).delete()
    ActionType.objects.filter(academy=None, campaign=None).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0020_action_types")]

    operations = [migrations.RunPython(seed, unseed)]
