"""Files of accounts and of districts and networks, imported whole or not at all.

Each file is read (``directory_import.read_table``), then every line is checked and resolved
against the directory as the importer sees it (their académies); a single rejected line and
nothing is written. Writing is idempotent: the same file twice changes nothing the second time.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from aps.models import AccountState
from aps.text import folded, normalised_email

from . import accounts
from .admin_scope import admin_academies, administers_everything, in_academies
from .directory_import import Column, normalize_department_code, parse, read_table
from .models import Academy, Department, District, Establishment, FoqualeNetwork, Membership
from .models.access import ROLE_SCOPE_FIELD
from .reference import DEPARTMENTS_BY_CODE
from .services import establishments_upsert
from .uai import normalize_uai, uai_error

R = Membership.Role

ACCOUNT_COLUMNS = [
    Column("email", ("email", "adresse electronique", "courriel", "mail")),
    Column("full_name", ("nom", "nom complet", "prenom nom")),
    Column("role", ("role",)),
    Column("scope", ("perimetre", "scope", "uai", "code")),
    Column("title", ("fonction",), required=False),
]
NETWORK_COLUMNS = [
    Column("uai", ("uai",)),
    Column("district", ("district",), required=False),
    Column("network", ("reseau", "reseau foquale"), required=False),
    Column("lead", ("tete de reseau", "tete_de_reseau", "pilote"), required=False),
]
ACCOUNT_EXAMPLE = (
    "email;nom;role;perimetre;fonction\n"
    "ce.0860001a@ac-poitiers.fr;Claire Martin;chef;0860001A;Principale\n"
    "jean.petit@ac-poitiers.fr;Jean Petit;personnel;0860001A;CPE\n"
    "dsden86@ac-poitiers.fr;Paul Bernard;dsden;86;Conseiller technique\n"
    "mlds.chatellerault@ac-poitiers.fr;Inès Morel;mlds;86 / Châtellerault;\n"
)
NETWORK_EXAMPLE = (
    "uai;district;reseau;tete_de_reseau\n"
    "0860001A;Châtellerault;Réseau FOQUALE Châtellerault;oui\n"
    "0860002B;Châtellerault;Réseau FOQUALE Châtellerault;non\n"
)

# Spellings of each role in a file (folded, "·fe", "·rice" and "_" dropped).
ROLE_NAMES = {
    R.STAFF: ("personnel", "personnel d'etablissement", "etablissement"),
    R.HEAD: ("chef", "chef d'etablissement", "chef etablissement", "direction"),
    R.NETWORK_LEAD: ("reseau foquale", "reseau", "responsable de reseau foquale", "foquale"),
    R.MLDS: ("mlds", "coordonnateur-conseil mlds", "coordonnateur mlds"),
    R.DSDEN: ("dsden",),
    R.ACADEMIE: ("academie",),
    R.NATIONAL: ("national", "ministere", "ministere (toutes les academies)"),
}
ROLES_BY_NAME = {name: role for role, names in ROLE_NAMES.items() for name in names}
YES = {"oui", "o", "x", "1", "yes"}
NO = {"", "non", "n", "0", "no"}


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    invited: int = 0
    # Whole or nothing (accounts, networks); the establishments' file imports its valid lines.
    whole: bool = True

    @property
    def summary(self) -> str:
        return (
            f"created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"rejected={len(self.rejected)}"
        )


def _role(value: str) -> str | None:
    key = folded(value).replace("·fe", "").replace("·rice", "").replace("_", " ")
    return ROLES_BY_NAME.get(key, key if key in R.values else None)


class _Directory:
    """The directory within the importer's académies, read once per file."""

    def __init__(self, by):
        self.ids = admin_academies(by) if by is not None else None
        self.everything = by is None or administers_everything(by)
        self._named: dict = {}

    def establishment(self, value: str) -> Establishment | str:
        uai = normalize_uai(value)
        if error := uai_error(uai):
            return error
        found = in_academies(Establishment.objects.all(), self.ids).filter(uai=uai).first()
        return found or f"UAI {uai} inconnue dans votre annuaire."

    def department(self, value: str) -> Department | str:
        code = normalize_department_code(value)
        found = in_academies(Department.objects.all(), self.ids).filter(code=code).first()
        return found or f"Département « {value or 'vide'} » inconnu."

    def academy(self, value: str) -> Academy | str:
        for academy in in_academies(Academy.objects.all(), self.ids):
            if folded(value) in (academy.code, folded(academy.name), folded(academy.title)):
                return academy
        return f"Académie « {value or 'vide'} » inconnue."

    def named(self, model, value: str, label: str):
        """A district or network by its name, or ``"93 / name"`` when two départements of
        the importer's académies have one of that name."""
        if model not in self._named:
            by_name: dict[str, list] = {}
            for obj in in_academies(model.objects.select_related("department"), self.ids):
                by_name.setdefault(folded(obj.name), []).append(obj)
            self._named[model] = by_name
        code, _, name = value.partition("/")
        code = normalize_department_code(code)
        if not name or code not in DEPARTMENTS_BY_CODE:  # no "93 / " before the name
            code, name = "", value
        candidates = self._named[model].get(folded(name), [])
        if code:
            candidates = [obj for obj in candidates if obj.department.code == code]
        if not candidates:
            return f"{label} « {value or 'vide'} » inconnu."
        if len(candidates) > 1:
            codes = ", ".join(sorted(obj.department.code for obj in candidates))
            return (
                f"{label} « {name.strip()} » ambigu (départements {codes}) : écrivez par "
                f"exemple « {candidates[0].department.code} / {name.strip()} »."
            )
        return candidates[0]

    def scope(self, role: str, value: str):
        match ROLE_SCOPE_FIELD[role]:
            case "establishment":
                return self.establishment(value)
            case "network":
                return self.named(FoqualeNetwork, value, "Réseau FOQUALE")
            case "district":
                return self.named(District, value, "District")
            case "department":
                return self.department(value)
            case "academy":
                return self.academy(value)
        if value:
            return "Le rôle ministère ne prend pas de périmètre : laissez la colonne vide."
        return None


@dataclass
class _Seen:
    roles: dict = field(default_factory=dict)  # (email, role, scope) -> line
    names: dict = field(default_factory=dict)  # email -> (line, name)


@dataclass(frozen=True)
class AccountLine:
    line: int
    email: str
    full_name: str
    role: str
    scope: object
    title: str


def _account_line(line, row, directory, existing, seen) -> AccountLine | str:
    try:
        email = accounts.clean_email(row["email"])
    except accounts.AccountError as error:
        return str(error)
    role = _role(row["role"])
    if role is None:
        return f"Rôle « {row['role'] or 'vide'} » inconnu pour {email}."
    if role == R.NATIONAL and not directory.everything:
        return "Seul le ministère donne le rôle ministère."
    scope = directory.scope(role, row["scope"])
    if isinstance(scope, str):
        return scope
    user = existing.get(email)
    if user is not None and user.is_superuser and not directory.everything:
        return f"Le compte {email} est réservé à l'administration technique."
    if not row["full_name"] and user is None:
        return f"Nom manquant pour le nouveau compte {email}."
    key = (email, role, getattr(scope, "pk", None))
    if key in seen.roles:
        return f"{email} a déjà ce rôle à la ligne {seen.roles[key]}."
    named = seen.names.get(email)
    if named and row["full_name"] and row["full_name"] != named[1]:
        return f"{email} porte un autre nom à la ligne {named[0]}."
    seen.roles[key] = line
    if row["full_name"] and not named:
        seen.names[email] = (line, row["full_name"])
    return AccountLine(line, email, row["full_name"], role, scope, row["title"])


def accounts_parse(data: bytes, *, by=None) -> tuple[list[AccountLine], list[tuple[int, str]]]:
    """The file's lines resolved, and the rejected ones; ImportFileError for a bad file."""
    rows = read_table(data, ACCOUNT_COLUMNS)
    directory = _Directory(by)
    emails = {normalised_email(row["email"]) for _, row in rows}
    existing = {u.email: u for u in get_user_model().objects.filter(email__in=emails)}
    lines, rejected, seen = [], [], _Seen()
    for line, row in rows:
        result = _account_line(line, row, directory, existing, seen)
        if isinstance(result, str):
            rejected.append((line, result))
        else:
            lines.append(result)
    return lines, rejected


@transaction.atomic
def accounts_import(data: bytes, *, by=None, invite: bool = False) -> Report:
    """Import a file of accounts and their roles: everything or, if a line is rejected,
    nothing. ``invite``: send the invitation to every account of the file without a password
    and without an invitation still valid."""
    lines, rejected = accounts_parse(data, by=by)
    report = Report(rejected=rejected)
    if rejected:
        return report
    to_invite = {}
    for item in lines:
        staff = item.role in (R.ACADEMIE, R.NATIONAL)
        user, user_created, renamed = accounts.account_ensure(
            email=item.email, full_name=item.full_name, staff=staff
        )
        scope_field = ROLE_SCOPE_FIELD[item.role]
        scope = {scope_field: item.scope} if scope_field else {}
        membership, created = Membership.objects.get_or_create(
            user=user, role=item.role, **scope, defaults={"title": item.title}
        )
        retitled = not created and bool(item.title) and membership.title != item.title
        if retitled:
            membership.title = item.title
            membership.save(update_fields=["title"])
        if user_created or created:
            report.created += 1
        elif renamed or retitled:
            report.updated += 1
        else:
            report.unchanged += 1
        if user.state in (AccountState.NOT_INVITED, AccountState.EXPIRED):
            to_invite[user.pk] = user
    if invite:
        report.invited, _ = accounts.invite_all(users=to_invite.values(), by=by)
    return report


# --- Districts and networks ---------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkLine:
    line: int
    establishment: Establishment
    district: str
    network: str
    lead: bool


def _network_line(line, row, directory, leads) -> NetworkLine | str:
    establishment = directory.establishment(row["uai"])
    if isinstance(establishment, str):
        return establishment
    if not row["district"] and not row["network"]:
        return f"Ni district ni réseau pour l'UAI {establishment.uai}."
    lead = folded(row["lead"])
    if lead not in YES | NO:
        return f"Tête de réseau « {row['lead']} » : oui ou non attendu."
    if lead in YES and not row["network"]:
        return f"L'UAI {establishment.uai} est tête de réseau sans réseau."
    if lead in YES:
        key = (establishment.department_id, folded(row["network"]))
        if key in leads:
            return f"Le réseau « {row['network']} » a déjà une tête à la ligne {leads[key]}."
        leads[key] = line
    return NetworkLine(line, establishment, row["district"], row["network"], lead in YES)


def networks_parse(data: bytes, *, by=None):
    rows = read_table(data, NETWORK_COLUMNS)
    directory = _Directory(by)
    lines, rejected, leads = [], [], {}
    for line, row in rows:
        result = _network_line(line, row, directory, leads)
        (rejected.append((line, result)) if isinstance(result, str) else lines.append(result))
    return lines, rejected


@transaction.atomic
def networks_import(data: bytes, *, by=None) -> Report:
    """Attach establishments to districts and FOQUALE networks (created on first use, in the
    establishment's département), and name each network's lead. Adds, never removes: an
    establishment leaves a network in the administration."""
    lines, rejected = networks_parse(data, by=by)
    report = Report(rejected=rejected)
    if rejected:
        return report
    for item in lines:
        establishment, created, updated = item.establishment, False, False
        department = establishment.department
        if item.district:
            district, made = District.objects.get_or_create(
                department=department, name=item.district
            )
            created |= made
            if establishment.district_id != district.pk:
                updated = establishment.district_id is not None
                created |= establishment.district_id is None
                establishment.district = district
                establishment.save(update_fields=["district"])
        if item.network:
            network, made = FoqualeNetwork.objects.get_or_create(
                department=department, name=item.network
            )
            created |= made
            if not network.members.filter(pk=establishment.pk).exists():
                network.members.add(establishment)
                created = True
            if item.lead and network.lead_establishment_id != establishment.pk:
                updated |= network.lead_establishment_id is not None
                created |= network.lead_establishment_id is None
                network.lead_establishment = establishment
                network.save(update_fields=["lead_establishment"])
        if created:
            report.created += 1
        elif updated:
            report.updated += 1
        else:
            report.unchanged += 1
    return report


# --- Establishments ---------------------------------------------------------------------------


def establishments_import(data: bytes, *, by=None) -> Report:
    """The directory's file, from the administration: as ``import_establishments`` does (the
    valid lines are imported, each rejected one said), within the importer's académies."""
    ids = admin_academies(by) if by is not None else None
    known = frozenset(DEPARTMENTS_BY_CODE)
    if ids is not None:
        codes = set(Academy.objects.filter(pk__in=ids).values_list("code", flat=True))
        known = frozenset(c for c, (_, academy) in DEPARTMENTS_BY_CODE.items() if academy in codes)
    parsed = parse(data, known_departments=known)
    counts = establishments_upsert(rows=parsed.rows)
    return Report(
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        rejected=parsed.rejected,
        whole=False,
    )


ESTABLISHMENT_COLUMNS = [
    Column("uai", ("uai", "identifiant_de_l_etablissement")),
    Column("name", ("name", "nom_etablissement")),
    Column("type", ("type", "type_etablissement")),
    Column("sector", ("public_private", "statut_public_prive")),
    Column("city", ("city", "nom_commune")),
    Column("postcode", ("postcode", "code_postal")),
    Column("department", ("department", "code_departement")),
]
ESTABLISHMENT_EXAMPLE = (
    "uai,name,type,public_private,city,postcode,department\n"
    "0860002K,Collège Romain Rolland,Collège,Public,Charroux,86250,86\n"
)
