"""Reference data shipped with the application: France's académies and their départements.

Sources: the map of the thirty académies of the Ministère de l'Éducation nationale (since the
merger of Caen and Rouen into the académie de Normandie on 1 January 2020, and with the
académie de Mayotte created that day), and the Code officiel géographique of the INSEE for
the départements' codes and names (2024). The académies' addresses follow the ministry's
``ac-<name>.fr`` domains.

Importing an establishment of any département creates its département and académie from
here on first use (``projects.services.department_for``). What an académie sets for itself
(the SAIO's contact, the DSDEN mailboxes) is not reference data: it is entered in the
administration.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class AcademyReference:
    code: str  # the académie's domain name: ac-<code>.fr
    name: str  # "Créteil", "La Réunion"
    of_name: str  # "de Créteil", "d'Aix-Marseille", "de la Guadeloupe"

    @property
    def website(self) -> str:
        return f"https://www.ac-{self.code}.fr"


ACADEMIES = {
    academy.code: academy
    for academy in [
        AcademyReference("aix-marseille", "Aix-Marseille", "d'Aix-Marseille"),
        AcademyReference("amiens", "Amiens", "d'Amiens"),
        AcademyReference("besancon", "Besançon", "de Besançon"),
        AcademyReference("bordeaux", "Bordeaux", "de Bordeaux"),
        AcademyReference("clermont", "Clermont-Ferrand", "de Clermont-Ferrand"),
        AcademyReference("corse", "Corse", "de Corse"),
        AcademyReference("creteil", "Créteil", "de Créteil"),
        AcademyReference("dijon", "Dijon", "de Dijon"),
        AcademyReference("grenoble", "Grenoble", "de Grenoble"),
        AcademyReference("guadeloupe", "Guadeloupe", "de la Guadeloupe"),
        AcademyReference("guyane", "Guyane", "de la Guyane"),
        AcademyReference("lille", "Lille", "de Lille"),
        AcademyReference("limoges", "Limoges", "de Limoges"),
        AcademyReference("lyon", "Lyon", "de Lyon"),
        AcademyReference("martinique", "Martinique", "de la Martinique"),
        AcademyReference("mayotte", "Mayotte", "de Mayotte"),
        AcademyReference("montpellier", "Montpellier", "de Montpellier"),
        AcademyReference("nancy-metz", "Nancy-Metz", "de Nancy-Metz"),
        AcademyReference("nantes", "Nantes", "de Nantes"),
        AcademyReference("nice", "Nice", "de Nice"),
        AcademyReference("normandie", "Normandie", "de Normandie"),
        AcademyReference("orleans-tours", "Orléans-Tours", "d'Orléans-Tours"),
        AcademyReference("paris", "Paris", "de Paris"),
        AcademyReference("poitiers", "Poitiers", "de Poitiers"),
        AcademyReference("reims", "Reims", "de Reims"),
        AcademyReference("rennes", "Rennes", "de Rennes"),
        AcademyReference("reunion", "La Réunion", "de La Réunion"),
        AcademyReference("strasbourg", "Strasbourg", "de Strasbourg"),
        AcademyReference("toulouse", "Toulouse", "de Toulouse"),
        AcademyReference("versailles", "Versailles", "de Versailles"),
    ]
}

# (code, name, académie) for each of the 101 départements.
DEPARTMENTS = [
    ("01", "Ain", "lyon"),
    ("02", "Aisne", "amiens"),
    ("03", "Allier", "clermont"),
    ("04", "Alpes-de-Haute-Provence", "aix-marseille"),
    ("05", "Hautes-Alpes", "aix-marseille"),
    ("06", "Alpes-Maritimes", "nice"),
    ("07", "Ardèche", "grenoble"),
    ("08", "Ardennes", "reims"),
    ("09", "Ariège", "toulouse"),
    ("10", "Aube", "reims"),
    ("11", "Aude", "montpellier"),
    ("12", "Aveyron", "toulouse"),
    ("13", "Bouches-du-Rhône", "aix-marseille"),
    ("14", "Calvados", "normandie"),
    ("15", "Cantal", "clermont"),
    ("16", "Charente", "poitiers"),
    ("17", "Charente-Maritime", "poitiers"),
    ("18", "Cher", "orleans-tours"),
    ("19", "Corrèze", "limoges"),
    ("2A", "Corse-du-Sud", "corse"),
    ("2B", "Haute-Corse", "corse"),
    ("21", "Côte-d'Or", "dijon"),
    ("22", "Côtes-d'Armor", "rennes"),
    ("23", "Creuse", "limoges"),
    ("24", "Dordogne", "bordeaux"),
    ("25", "Doubs", "besancon"),
    ("26", "Drôme", "grenoble"),
    ("27", "Eure", "normandie"),
    ("28", "Eure-et-Loir", "orleans-tours"),
    ("29", "Finistère", "rennes"),
    ("30", "Gard", "montpellier"),
    ("31", "Haute-Garonne", "toulouse"),
    ("32", "Gers", "toulouse"),
    ("33", "Gironde", "bordeaux"),
    ("34", "Hérault", "montpellier"),
    ("35", "Ille-et-Vilaine", "rennes"),
    ("36", "Indre", "orleans-tours"),
    ("37", "Indre-et-Loire", "orleans-tours"),
    ("38", "Isère", "grenoble"),
    ("39", "Jura", "besancon"),
    ("40", "Landes", "bordeaux"),
    ("41", "Loir-et-Cher", "orleans-tours"),
    ("42", "Loire", "lyon"),
    ("43", "Haute-Loire", "clermont"),
    ("44", "Loire-Atlantique", "nantes"),
    ("45", "Loiret", "orleans-tours"),
    ("46", "Lot", "toulouse"),
    ("47", "Lot-et-Garonne", "bordeaux"),
    ("48", "Lozère", "montpellier"),
    ("49", "Maine-et-Loire", "nantes"),
    ("50", "Manche", "normandie"),
    ("51", "Marne", "reims"),
    ("52", "Haute-Marne", "reims"),
    ("53", "Mayenne", "nantes"),
    ("54", "Meurthe-et-Moselle", "nancy-metz"),
    ("55", "Meuse", "nancy-metz"),
    ("56", "Morbihan", "rennes"),
    ("57", "Moselle", "nancy-metz"),
    ("58", "Nièvre", "dijon"),
    ("59", "Nord", "lille"),
    ("60", "Oise", "amiens"),
    ("61", "Orne", "normandie"),
    ("62", "Pas-de-Calais", "lille"),
    ("63", "Puy-de-Dôme", "clermont"),
    ("64", "Pyrénées-Atlantiques", "bordeaux"),
    ("65", "Hautes-Pyrénées", "toulouse"),
    ("66", "Pyrénées-Orientales", "montpellier"),
    ("67", "Bas-Rhin", "strasbourg"),
    ("68", "Haut-Rhin", "strasbourg"),
    ("69", "Rhône", "lyon"),
    ("70", "Haute-Saône", "besancon"),
    ("71", "Saône-et-Loire", "dijon"),
    ("72", "Sarthe", "nantes"),
    ("73", "Savoie", "grenoble"),
    ("74", "Haute-Savoie", "grenoble"),
    ("75", "Paris", "paris"),
    ("76", "Seine-Maritime", "normandie"),
    ("77", "Seine-et-Marne", "creteil"),
    ("78", "Yvelines", "versailles"),
    ("79", "Deux-Sèvres", "poitiers"),
    ("80", "Somme", "amiens"),
    ("81", "Tarn", "toulouse"),
    ("82", "Tarn-et-Garonne", "toulouse"),
    ("83", "Var", "nice"),
    ("84", "Vaucluse", "aix-marseille"),
    ("85", "Vendée", "nantes"),
    ("86", "Vienne", "poitiers"),
    ("87", "Haute-Vienne", "limoges"),
    ("88", "Vosges", "nancy-metz"),
    ("89", "Yonne", "dijon"),
    ("90", "Territoire de Belfort", "besancon"),
    ("91", "Essonne", "versailles"),
    ("92", "Hauts-de-Seine", "versailles"),
    ("93", "Seine-Saint-Denis", "creteil"),
    ("94", "Val-de-Marne", "creteil"),
    ("95", "Val-d'Oise", "versailles"),
    ("971", "Guadeloupe", "guadeloupe"),
    ("972", "Martinique", "martinique"),
    ("973", "Guyane", "guyane"),
    ("974", "La Réunion", "reunion"),
    ("976", "Mayotte", "mayotte"),
]
DEPARTMENTS_BY_CODE = {code: (name, academy) for code, name, academy in DEPARTMENTS}

# The first three characters of the UAIs of a département, where they are not its number
# padded with zeros (the two Corsican départements kept the numbers 620 and 720).
UAI_PREFIXES = {"2A": "620", "2B": "720"}


def uai_prefix(code: str) -> str:
    return UAI_PREFIXES.get(code, code.zfill(3))
