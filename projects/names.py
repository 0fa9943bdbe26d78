"""Establishment names and cities in a readable case.

The Ministry's file writes many names in capitals without accents nor apostrophes
("LYCEE POLYVALENT DU GUE A TRESMES LYCEE DES METIERS DE L HOTELLERIE"); the application shows
them as a French reader writes them ("Lycée polyvalent du Gué à Tresmes, lycée des métiers de
l'hôtellerie"), and keeps the official text as imported beside them. A text already written in
lower and upper case is kept as its author wrote it, only its capitals given back their accents
("Ecole" → "École").

The rules: the first word takes a capital; small words (de, la, et, à…) and the words of
establishment names (lycée, général, métiers, santé…) are lower case, with their accents;
other words are proper names, capitalised (with their accents when known: "EMILE" → "Émile");
"L ENERGIE" → "l'énergie", "JEANNE D ARC" → "Jeanne d'Arc"; Saint-, Sainte-, Notre-Dame and a
few compound first names take their hyphen; roman numerals and acronyms stay in capitals; a
second "lycée des métiers" is set apart by a comma. A city's words are joined by hyphens but
for a leading article ("LE KREMLIN BICETRE" → "Le Kremlin-Bicêtre").
"""

import re

from aps.text import folded


def _listed(words: str) -> list[str]:
    return words.split()


# Lower-case words (their accented spelling): French small words, then the vocabulary of
# establishment names and of their "lycée des métiers" designations.
SMALL = set(_listed("de du des d' l' la le les et à au aux en sur sous lès ou par pour dans leur"))
COMMON = """
lycée collège école général générale technologique technique polyvalent polyvalente
professionnel professionnelle privé privée public publique publics enseignement ensemble
scolaire international internationale internat régional régionale élémentaire métiers métier
nouveau agricole maritime hôtelier hôtelière innovant pilote excellence parisien européen
chrétienne filles garçons mixte cours campus cité groupe institution
administration aérien aide aménagement application applications arts assistée audiovisuel
automobile bâtiment cadre chaudronerie chaudronnerie climatique coiffure commerce communication
comptabilité conception construction création décoration déconstruction design développement
ébénisterie éco électricité électrique électronique électroniques électrotechnique énergie
entreprise entreprises environnement esthétique finition génie gestion goût graphique habitat
horticulture hôtellerie image industrie industrielle industriels industries informatique
informatiques ingénierie laboratoire logistique maintenance management matériaux mécanique
métalliques métallurgie mode motocycles numérique numériques ordinateur outillage paysage
personne plasturgie process production productique réalisation réseaux restauration santé
sécurité services social soins son structures surface systèmes télécommunications topographie
tourisme traitement transport travail travaux vente bois urbain
"""
# Proper names and place words whose accents the capitals lost.
PROPER = """
Aliénor André Bièvre Budé Carême Carrée Céline Châtelet Chérioux Clément Dame Dames Édouard
Élie Émile Émilie Espérance Étienne Étoile Eugène Eugénie Évariste Fénelon François Françoise
Frédéric Galilée Geneviève Grégoire Gué Guérin Hélène Hénaff Honoré Jaurès Jérôme Josué Léger
Léo Léon Léonard Léonce Liberté Lumière Macé Mendès Péguy Péri Pérochon Prévert Réaumur René
Sèvre Thérèse Théodore Valéry Exupéry Éluard Abbé Bicêtre Château Église Étang Île Thérouanne
Ferrière
"""
ACRONYMS = set(_listed("CE CFA EBTP EREA GT ICEF ISE LEH LGT LP LPO ORT PME PMI SEGPA SEP ULIS"))
COMPOUND_FIRST_NAMES = {
    ("JEAN", second)
    for second in _listed(
        "BAPTISTE PAUL PIERRE JACQUES LOUIS MARIE FRANCOIS CHARLES MICHEL CLAUDE PHILIPPE ALBERT "
        "MARC LUC"
    )
} | {("PIERRE", "ANDRE"), ("PIERRE", "GILLES"), ("PAUL", "LOUIS"), ("ANNE", "MARIE")}
# Two words the file writes apart, read as one.
JOINED = {
    ("NOTRE", "DAME"): "Notre-Dame",
    ("APRES", "VENTE"): "après-vente",
    ("ECO", "CONSTRUCTION"): "éco-construction",
    ("LE", "CORBUSIER"): "Le Corbusier",
    ("LA", "FAYETTE"): "La Fayette",
    ("JOLIOT", "CURIE"): "Joliot-Curie",
    ("MERLEAU", "PONTY"): "Merleau-Ponty",
    ("AUDOUIN", "DUBREUIL"): "Audouin-Dubreuil",
    ("GOURDOU", "LESEURRE"): "Gourdou-Leseurre",
    ("LANGEVIN", "WALLON"): "Langevin-Wallon",
}
ABBREVIATIONS = {"LYC": "lycée des", "MET": "métiers"}

_SPELLING = {folded(word).upper(): word for word in _listed(f"{COMMON} {PROPER}")}
_COMMON = {folded(word).upper() for word in _listed(COMMON)}
_ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")
_WORD = re.compile(r"[^\W_]+")


def readable_name(text: str) -> str:
    """An establishment's name as shown: ``"LYCEE GENERAL ET TECHNOLOGIQUE OLYMPE DE GOUGES"``
    → ``"Lycée général et technologique Olympe de Gouges"``."""
    text = " ".join(str(text or "").split())
    if not _shouted(text):
        return _accented_capitals(text)
    words = _words(text)
    shown = ""
    glued = True  # no space before the next word
    index = 0
    while index < len(words):
        word = words[index]
        previous = words[index - 1] if index else ""
        following = words[index + 1] if index + 1 < len(words) else ""
        first = not shown
        if not first and (
            word == "LYC" or (word == "LYCEE" and following in {"DES", "MET", "METIERS"})
        ):
            shown += ","  # a second designation: "…Cotton, lycée des métiers…"
        if (word, following) in JOINED:
            part, index = JOINED[(word, following)], index + 1
        elif (previous, word) in COMPOUND_FIRST_NAMES:
            part, glued = "-" + _capitalised(_spelling(word)), True
        else:
            part = _name_word(word, previous, following, first=first)
        if shown in {"l'", "d'"}:
            part = part[:1].upper() + part[1:]  # "L'École des…"
        shown += part if glued else f" {part}"
        glued = part.endswith(("'", "-")) and part != "-"
        index += 1
    return shown[:1].upper() + shown[1:]


def readable_city(text: str) -> str:
    """A city as shown: ``"SAINT YRIEIX SUR CHARENTE"`` → ``"Saint-Yrieix-sur-Charente"``,
    ``"NOISY-LE-SEC"`` → ``"Noisy-le-Sec"``, ``"LA ROCHETTE"`` → ``"La Rochette"``."""
    text = " ".join(str(text or "").split())
    if not _shouted(text):
        return _accented_capitals(text)
    words = [word for word in _words(text.replace("-", " ")) if word != "-"]
    parts, separator = [], ""
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in {"L", "D"} and _starts_with_vowel(following):
            parts.append(separator + (word if not index else word.lower()) + "'")
            separator = ""
            continue
        if not index and word in {"LE", "LA", "LES"}:
            parts.append(word.capitalize())
            separator = " "
            continue
        spelled = _spelling(word)
        shown = spelled.lower() if spelled.lower() in SMALL and index else _capitalised(spelled)
        parts.append(separator + shown)
        separator = "-"
    return "".join(parts)


def _shouted(text: str) -> bool:
    """Written all in capitals (the file's raw form): no lower-case letter, some capitals."""
    return any(c.isupper() for c in text) and not any(c.islower() for c in text)


def _words(text: str) -> list[str]:
    """The words of a text in capitals, apostrophes read as the space the file puts instead."""
    return [w for w in re.split(r"[\s'’]+", text) if w]


def _spelling(word: str) -> str:
    """The word's spelling with its accents (lower case for a common word), else as is."""
    key = folded(word).upper()
    return ABBREVIATIONS.get(key) or _SPELLING.get(key) or word


def _capitalised(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _starts_with_vowel(word: str) -> bool:
    return bool(word) and folded(word)[:1] in set("aeiouyh")


def _name_word(word: str, previous: str, following: str, *, first: bool) -> str:
    if not _WORD.search(word):
        return word  # "-" between two parts
    if word in {"L", "D"}:
        # "L ENERGIE" is l'énergie, but "POLYVALENT L ARMAND" Louis Armand: no article after
        # the words of an establishment's kind.
        initial = word == "L" and folded(previous).upper() in _COMMON
        if _starts_with_vowel(following) and not initial:
            return "l'" if word == "L" else "d'"
        return f"{word}."
    if word in {"SAINT", "SAINTE"} and following and following.lower() not in SMALL:
        return _capitalised(word) + "-"
    if word == "A":
        return "à"
    if any(c.isdigit() for c in word):
        return word.lower()  # "1ER" → "1er" ("Ier" would not be found by "1er")
    if word in ACRONYMS or _ROMAN.match(word):
        return word
    spelled = _spelling(word)
    if spelled.lower() in SMALL or folded(word).upper() in _COMMON or word in ABBREVIATIONS:
        return spelled.lower()
    return _capitalised(spelled)


def _accented_capitals(text: str) -> str:
    """A text in mixed case, with the accents its capitals lost: ``"College Trait d'Union"`` →
    ``"Collège Trait d'Union"``, ``"l'Ecole"`` → ``"l'École"``."""

    def accent(match: re.Match) -> str:
        word = match.group(0)
        if not (word[:1].isupper() and word[1:].islower()):
            return word
        spelled = _SPELLING.get(folded(word).upper())
        if spelled is None or folded(spelled) != folded(word):
            return word
        return spelled[:1].upper() + spelled[1:]

    return _WORD.sub(accent, text)
