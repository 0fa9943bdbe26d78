"""Believable project sheets for the demo, written for APS (no real school's project)."""

import datetime

ACTIONS = [
    {
        "title": "Module relais « Cap sur l'avenir »",
        "typology": "module_relais",
        "gpds_associated": "oui",
        "gpds_consulted_on": datetime.date(2024, 4, 11),
        "field": "intervention",
        "problem": "Une vingtaine d'élèves de 4e et de 3e cumulent absences perlées, exclusions "
        "de cours et perte de sens des apprentissages. Les conseils de classe du premier "
        "trimestre ont signalé un décrochage passif chez plusieurs d'entre eux.",
        "qualitative_indicators": "Retours du GPDS : repli sur soi, conflits répétés avec les "
        "adultes, absence de projet d'orientation. Les familles sont difficiles à joindre.",
        "quantitative_indicators": "Taux d'absentéisme de 14 % sur les niveaux 4e-3e (7 % "
        "l'an dernier) ; 86 exclusions de cours au premier trimestre ; 23 élèves sous 8 de "
        "moyenne générale.",
        "objectives": [
            "Restaurer l'estime de soi et le lien avec l'école par une pédagogie de projet.",
            "Construire un projet d'orientation réaliste avec chaque élève.",
            "Réduire les absences et les exclusions de cours des élèves suivis.",
        ],
        "criteria": [
            "Évolution du taux d'absentéisme des élèves suivis (trimestre par trimestre).",
            "Nombre d'exclusions de cours avant et pendant le module.",
            "Part des élèves ayant formulé un vœu d'orientation argumenté en fin d'année.",
        ],
        "expected_pupils": 12,
        "pupil_levels": "4e et 3e",
        "pupil_profiles": "Élèves en décrochage passif ou actif, souvent en difficulté "
        "scolaire, sans projet d'orientation.",
        "identification": "Repérage par le GPDS à partir des bilans de conseils de classe et "
        "des signalements de la vie scolaire ; élèves saisis dans Parcours En Ligne.",
        "organisation": "Deux demi-journées par semaine (mardi et jeudi matin) en salle dédiée, "
        "en petit groupe : ateliers d'expression, découverte des métiers, remise à niveau "
        "ciblée. Retour progressif en classe entière sur les autres créneaux.",
        "key_moments": "Lancement après les vacances de la Toussaint ; visites d'entreprises en "
        "janvier ; mini-stages en février ; restitution devant les familles en mai.",
        "staff_count": 5,
        "staff_roles": "Deux professeurs (lettres, mathématiques), la CPE, la psychologue de "
        "l'Éducation nationale, un assistant d'éducation.",
        "partners": "Mission locale (découverte des métiers), association de théâtre du "
        "quartier (ateliers d'expression), entreprises partenaires pour les mini-stages.",
        "means_use": "HSE pour les heures de face-à-face des professeurs ; IMP pour la "
        "coordination ; crédits pour l'intervention de l'association de théâtre.",
    },
    {
        "title": "Parcours individualisés pour élèves absentéistes",
        "typology": "parcours_individualise",
        "gpds_associated": "oui",
        "gpds_consulted_on": datetime.date(2024, 4, 12),
        "field": "intervention",
        "problem": "L'absentéisme lourd (plus de 20 demi-journées non justifiées) touche un "
        "nombre croissant d'élèves ; les réponses collectives ne suffisent plus.",
        "qualitative_indicators": "Cellule de veille : situations familiales complexes, "
        "phobie scolaire suspectée pour trois élèves, décrochage lié au rythme.",
        "quantitative_indicators": "31 élèves au-delà de 20 demi-journées d'absence non "
        "justifiées ; 9 signalements à la DSDEN l'an dernier.",
        "objectives": [
            "Proposer à chaque élève un emploi du temps aménagé et un tuteur.",
            "Rétablir une présence régulière dans au moins la moitié des cours.",
        ],
        "criteria": [
            "Assiduité mesurée chaque mois pour chaque élève suivi.",
            "Nombre d'élèves réintégrant un emploi du temps complet.",
        ],
        "expected_pupils": 10,
        "pupil_levels": "5e à 3e",
        "pupil_profiles": "Absentéisme lourd, phobie scolaire, difficultés familiales.",
        "identification": "Suivi GPDS et cellule de veille ; entretiens avec les familles ; "
        "saisie dans Parcours En Ligne.",
        "organisation": "Emploi du temps individualisé revu toutes les six semaines ; un "
        "tuteur par élève (entretien hebdomadaire) ; accueil possible au CDI.",
        "key_moments": "Entretiens d'entrée en septembre ; points d'étape à chaque période ; "
        "bilan individuel en juin.",
        "staff_count": 8,
        "staff_roles": "Six professeurs tuteurs, la CPE, l'infirmière scolaire.",
        "partners": "Centre médico-psychologique, service social du département.",
        "means_use": "HSE pour le tutorat (heures périphériques) et IMP pour la coordination "
        "du dispositif.",
    },
    {
        "title": "Atelier FLS et réussite des élèves allophones",
        "typology": "module_fls",
        "gpds_associated": "oui",
        "gpds_consulted_on": datetime.date(2024, 4, 13),
        "field": "intervention",
        "problem": "Des élèves allophones arrivés récemment sortent de l'UPE2A sans maîtrise "
        "suffisante de la langue écrite pour suivre en classe ordinaire.",
        "qualitative_indicators": "Professeurs principaux : incompréhension des consignes, "
        "découragement, absences en fin de trimestre.",
        "quantitative_indicators": "18 élèves sortis d'UPE2A depuis deux ans ; 11 sous 7 de "
        "moyenne en français.",
        "objectives": [
            "Renforcer la compréhension et la production écrites en français de scolarisation.",
            "Sécuriser l'inclusion en classe ordinaire.",
            "Associer les familles au suivi de la scolarité.",
        ],
        "criteria": [
            "Progression aux tests de positionnement en début et fin d'atelier.",
            "Résultats en français et en histoire-géographie.",
        ],
        "expected_pupils": 14,
        "pupil_levels": "6e à 3e",
        "pupil_profiles": "Élèves allophones sortis d'UPE2A, scolarisés en classe ordinaire.",
        "identification": "Tests de positionnement du CASNAV ; avis de l'enseignante d'UPE2A.",
        "organisation": "Trois heures par semaine en groupe de besoin, ateliers d'écriture et "
        "de lecture, co-intervention en classe une heure par semaine.",
        "key_moments": "Tests en septembre ; café des parents en décembre ; tests finaux en mai.",
        "staff_count": 3,
        "staff_roles": "Professeure de français certifiée FLS, professeur documentaliste, "
        "coordonnatrice UPE2A.",
        "partners": "CASNAV de l'académie ; médiathèque municipale.",
        "means_use": "HSE pour les heures d'atelier ; crédits pour l'achat d'ouvrages adaptés.",
    },
    {
        "title": "Café des familles et coéducation",
        "typology": "familles",
        "gpds_associated": "oui",
        "gpds_consulted_on": datetime.date(2024, 4, 14),
        "field": "intervention",
        "problem": "Le lien avec les familles des élèves en difficulté est distendu : faible "
        "participation aux réunions, méconnaissance des outils de suivi.",
        "qualitative_indicators": "Les familles disent ne pas se sentir légitimes à l'école ; "
        "barrière de la langue pour certaines.",
        "quantitative_indicators": "32 % des familles présentes aux remises de bulletins ; "
        "45 % des familles ne consultent jamais l'ENT.",
        "objectives": [
            "Ouvrir l'établissement aux familles dans un cadre convivial.",
            "Donner aux parents les clés pour suivre la scolarité.",
        ],
        "criteria": [
            "Nombre de familles participant aux rencontres.",
            "Taux de présence aux remises de bulletins.",
        ],
        "expected_pupils": 40,
        "pupil_levels": "Tous niveaux",
        "pupil_profiles": "Élèves suivis par le GPDS et leurs familles.",
        "identification": "Invitation ciblée des familles des élèves suivis par le GPDS.",
        "organisation": "Une rencontre mensuelle le samedi matin ; ateliers numériques ; "
        "interprétariat assuré par l'association partenaire.",
        "key_moments": "Première rencontre en octobre ; atelier ENT en novembre ; fête de fin "
        "d'année en juin.",
        "staff_count": 4,
        "staff_roles": "Principale adjointe, CPE, assistante sociale, professeur référent.",
        "partners": "Association de médiation interculturelle ; maison de quartier.",
        "means_use": "Crédits pour l'interprétariat et l'accueil ; IMP pour l'animation.",
    },
    {
        "title": "PAFI « Tremplin pro » pour lycéens en rupture",
        "typology": "pafi",
        "gpds_associated": "oui",
        "gpds_consulted_on": datetime.date(2024, 4, 15),
        "field": "intervention",
        "problem": "Des élèves de seconde professionnelle sont en rupture avec la formation "
        "choisie par défaut et cumulent absences et retards.",
        "qualitative_indicators": "Conseils de classe : démotivation, erreurs d'orientation "
        "ressenties ; plusieurs demandes de réorientation en cours d'année.",
        "quantitative_indicators": "Taux d'absentéisme de 19 % en 2de pro ; 12 élèves en "
        "situation de décrochage signalés en décembre.",
        "objectives": [
            "Éviter les sorties sans qualification par un parcours aménagé.",
            "Confirmer ou reconstruire le projet professionnel par des stages de découverte.",
            "Préparer une réorientation réussie à la rentrée suivante.",
        ],
        "criteria": [
            "Nombre d'élèves maintenus en formation à la fin de l'année.",
            "Nombre de réorientations effectives à la rentrée.",
            "Assiduité pendant le parcours.",
        ],
        "expected_pupils": 8,
        "pupil_levels": "2de professionnelle",
        "pupil_profiles": "Élèves de 16 ans et plus, orientation subie, absentéisme.",
        "identification": "GPDS du lycée ; entretiens avec la psychologue de l'Éducation "
        "nationale ; saisie dans Parcours En Ligne.",
        "organisation": "Contrat individuel ; alternance de cours adaptés au lycée et de "
        "stages en entreprise ou en lycée professionnel d'accueil ; référent par élève.",
        "key_moments": "Contractualisation en novembre ; stages en janvier et mars ; bilan et "
        "valorisation des compétences en juin.",
        "staff_count": 6,
        "staff_roles": "Directrice déléguée aux formations, deux professeurs référents, CPE, "
        "psychologue de l'Éducation nationale, coordonnatrice MLDS.",
        "partners": "Entreprises du bassin, lycées professionnels d'accueil, mission locale.",
        "means_use": "HSE pour les heures de référence ; IMP pour la coordination.",
    },
    {
        "title": "Sécuriser la transition 3e-2de",
        "typology": "autre",
        "gpds_associated": "oui",
        "gpds_consulted_on": datetime.date(2024, 4, 16),
        "field": "intervention",
        "problem": "Les élèves fragiles du collège décrochent dès le premier trimestre de "
        "seconde : perte de repères, changement de rythme.",
        "qualitative_indicators": "Retours des lycées d'accueil ; témoignages d'anciens élèves.",
        "quantitative_indicators": "15 % des anciens élèves signalés en décrochage au lycée "
        "avant décembre l'an dernier.",
        "objectives": [
            "Préparer les élèves fragiles au fonctionnement du lycée.",
            "Organiser un suivi partagé collège-lycée au premier trimestre.",
        ],
        "criteria": [
            "Nombre d'élèves accompagnés toujours scolarisés en décembre.",
            "Participation aux journées d'immersion.",
        ],
        "expected_pupils": 20,
        "pupil_levels": "3e",
        "pupil_profiles": "Élèves fragiles repérés par l'équipe pédagogique de 3e.",
        "identification": "Conseils de classe du 2e trimestre ; GPDS.",
        "organisation": "Journées d'immersion au lycée, tutorat par d'anciens élèves, "
        "entretien de liaison en septembre.",
        "key_moments": "Immersions en avril-mai ; liaison en septembre ; bilan en décembre.",
        "staff_count": 4,
        "staff_roles": "Professeurs principaux de 3e, CPE du collège et du lycée.",
        "partners": "Lycées du secteur.",
        "means_use": "HSE pour l'accompagnement ; crédits pour les déplacements.",
    },
]

REMEDIATION = {
    "title": "Réseau FOQUALE : retour en formation des jeunes sortis sans diplôme",
    "typology": "autre",
    "gpds_associated": "oui",
    "gpds_consulted_on": datetime.date(2024, 4, 17),
    "field": "remediation",
    "problem": "Des jeunes de 16 à 18 ans du territoire ont quitté le système scolaire sans "
    "diplôme ; les entretiens de situation montrent une envie de reprendre une formation.",
    "qualitative_indicators": "Remontées de la plateforme de suivi et d'appui aux décrocheurs.",
    "quantitative_indicators": "54 jeunes du réseau contactés par la PSAD l'an dernier, dont 21 "
    "souhaitant un retour en formation.",
    "objectives": [
        "Proposer à chaque jeune un retour en formation dans un établissement du réseau.",
        "Accompagner les premiers mois du retour.",
    ],
    "criteria": [
        "Nombre de jeunes ayant repris une formation.",
        "Nombre de jeunes toujours en formation après trois mois.",
    ],
    "expected_pupils": 15,
    "pupil_levels": "Jeunes de 16 à 18 ans sortis sans diplôme",
    "pupil_profiles": "Décrocheurs repérés par la PSAD et le CIO.",
    "identification": "Listes du SIEI ; entretiens de situation au CIO.",
    "organisation": "Entretiens, stages d'observation dans les lycées du réseau, tutorat "
    "pendant le premier trimestre du retour.",
    "key_moments": "Entretiens en septembre-octobre ; retours en formation en novembre ; bilan "
    "en février.",
    "staff_count": 7,
    "staff_roles": "Responsable du réseau, coordonnatrice MLDS, référents décrochage des lycées.",
    "partners": "CIO, mission locale, PSAD.",
    "means_use": "HSE pour le tutorat ; IMP pour la coordination du réseau.",
}


def content_of(action: dict, *, partial: bool = False) -> tuple[dict, list, list]:
    """(content fields, objectives, criteria) of an action; ``partial`` leaves half empty."""
    content = {key: value for key, value in action.items() if key not in ("objectives", "criteria")}
    content["start_date"] = datetime.date(2024, 10, 14)
    content["end_date"] = datetime.date(2025, 6, 13)
    objectives, criteria = list(action["objectives"]), list(action["criteria"])
    if partial:
        for key in (
            "organisation",
            "key_moments",
            "staff_count",
            "staff_roles",
            "partners",
            "means_use",
            "start_date",
            "end_date",
            "identification",
        ):
            content[key] = None if key in ("staff_count", "start_date", "end_date") else ""
        criteria = []
    return content, objectives, criteria
