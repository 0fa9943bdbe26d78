from django import forms
from django.contrib import admin
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import path
from dsfr.models import DsfrConfig

from aps.admin import UserAdmin
from aps.models import AccountState, User, invitation_deadline
from aps.text import counted

from .account_import import (
    ACCOUNT_COLUMNS,
    ACCOUNT_EXAMPLE,
    ESTABLISHMENT_COLUMNS,
    ESTABLISHMENT_EXAMPLE,
    NETWORK_COLUMNS,
    NETWORK_EXAMPLE,
    accounts_import,
    establishments_import,
    networks_import,
)
from .accounts import (
    accounts_deactivate,
    accounts_reactivate,
    head_accounts_create,
    invite_all,
)
from .admin_scope import (
    AcademyScopedAdmin,
    AcademyScopedInline,
    OwnOrDefaultAdmin,
    administers_everything,
    is_academie_admin,
)
from .directory_import import ImportFileError
from .forms import check_action_dates
from .models import (
    MAX_CRITERIA,
    MAX_OBJECTIVES,
    Academy,
    AcademyCampaign,
    ActionType,
    Attachment,
    Campaign,
    Department,
    District,
    Establishment,
    EvaluationCriterion,
    FoqualeNetwork,
    Membership,
    Objective,
    ProjectSheet,
)
from .models.campaigns import ACADEMY_DATES
from .services import campaign_make_current, carrier_save, sheet_correct


def academie_staff_only(request) -> bool:
    """The admin is reserved to the académie's and the ministry's staff (and superusers): a
    DSDEN or establishment account flagged as staff by mistake still cannot enter."""
    user = request.user
    return user.is_active and user.is_staff and is_academie_admin(user)


admin.site.has_permission = academie_staff_only


class RolesWithinReach:
    """The ministry's role is given by the ministry (or a superuser) only."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not administers_everything(request.user):
            kwargs["choices"] = [
                choice
                for choice in Membership.Role.choices
                if choice[0] != Membership.Role.NATIONAL
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class MembershipInline(RolesWithinReach, AcademyScopedInline, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("role", "title", "establishment", "network", "district", "department", "academy")
    autocomplete_fields = ("establishment", "network", "district", "department", "academy")


admin.site.unregister(User)
# The DSFR site configuration is not used: the layout is the project's own (templates/base.html).
admin.site.unregister(DsfrConfig)


class AccountStateFilter(admin.SimpleListFilter):
    title = "état du compte"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return AccountState.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        active = queryset.filter(is_active=True)
        # No password: an unusable one, or none ever set (as User.state reads them).
        # Signed in once (with ProConnect) counts as active.
        without = (Q(password__startswith=UNUSABLE_PASSWORD_PREFIX) | Q(password="")) & Q(
            last_login__isnull=True
        )
        no_password = active.filter(without)
        deadline = invitation_deadline()
        return {
            AccountState.ACTIVE: active.exclude(without),
            AccountState.INVITED: no_password.filter(invited_at__gte=deadline),
            AccountState.EXPIRED: no_password.filter(invited_at__lt=deadline),
            AccountState.NOT_INVITED: no_password.filter(invited_at__isnull=True),
            AccountState.DEACTIVATED: queryset.filter(is_active=False),
        }.get(self.value(), queryset)


class ImportForm(forms.Form):
    file = forms.FileField(label="Fichier CSV (UTF-8, séparateur « , » ou « ; »)")


class AccountImportForm(ImportForm):
    invite = forms.BooleanField(
        label="Envoyer l'invitation aux comptes sans mot de passe",
        required=False,
        initial=True,
    )


class ImportsFile:
    """A model admin with an import page at ``import/`` (URL name ``<app>_<model>_import``)
    and a link to it above its list: the file, then the report."""

    import_title = ""
    importer = None  # a function (data, by=…) returning an account_import.Report
    import_columns: list = []
    import_example = ""
    import_form = ImportForm
    # Whole or nothing (accounts, networks); the establishments' file keeps its valid lines.
    import_whole = True
    change_list_template = "admin/change_list_import.html"

    def changelist_view(self, request, extra_context=None):
        extra = {"import_title": self.import_title, **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.import_form(request.POST or None, request.FILES or None)
        report = error = None
        if request.method == "POST" and form.is_valid():
            options = {k: v for k, v in form.cleaned_data.items() if k != "file"}
            try:
                report = type(self).importer(
                    form.cleaned_data["file"].read(), by=request.user, **options
                )
            except ImportFileError as refusal:
                error = f"{refusal} Rien n'a été importé."
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.import_title,
            "form": form,
            "report": report,
            "error": error,
            "columns": self.import_columns,
            "example": self.import_example,
            "whole": self.import_whole,
        }
        return TemplateResponse(request, "admin/import_file.html", context)


@admin.register(User)
class UserWithMembershipsAdmin(ImportsFile, AcademyScopedAdmin, UserAdmin):
    import_title = "Importer des comptes"
    importer = accounts_import
    import_columns = ACCOUNT_COLUMNS
    import_example = ACCOUNT_EXAMPLE
    import_form = AccountImportForm

    inlines = [MembershipInline]
    list_display = ("email", "full_name", "account_state", "invited_at", "last_login")
    list_filter = (AccountStateFilter, "is_staff", "memberships__role")
    readonly_fields = (*UserAdmin.readonly_fields, "invited_at")
    actions = ["send_invitations", "deactivate", "reactivate"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if administers_everything(request.user):
            return queryset
        return queryset.filter(is_superuser=False)  # nor their passwords

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if administers_everything(request.user):
            return readonly
        return (*readonly, "is_superuser", "groups", "user_permissions")

    def has_delete_permission(self, request, obj=None):
        # An account that wrote history is deactivated, not deleted.
        return request.user.is_superuser

    @admin.display(description="état")
    def account_state(self, user):
        return user.state.label

    @admin.action(description="Envoyer (ou renvoyer) l'invitation", permissions=["change"])
    def send_invitations(self, request, queryset):
        sent, skipped = invite_all(users=queryset, by=request.user)
        self.message_user(
            request,
            f"{counted(sent, 'invitation envoyée', 'invitations envoyées')} ; "
            f"{counted(skipped, 'compte ignoré', 'comptes ignorés')} (actif ou désactivé).",
        )

    @admin.action(description="Désactiver les comptes", permissions=["change"])
    def deactivate(self, request, queryset):
        done = accounts_deactivate(users=queryset.exclude(pk=request.user.pk))
        self.message_user(
            request,
            f"{counted(done, 'compte désactivé', 'comptes désactivés')} : ils ne peuvent plus "
            "se connecter, leurs noms restent dans l'historique.",
        )

    @admin.action(description="Réactiver les comptes", permissions=["change"])
    def reactivate(self, request, queryset):
        done = accounts_reactivate(users=queryset)
        self.message_user(request, counted(done, "compte réactivé", "comptes réactivés"))


@admin.register(Academy)
class AcademyAdmin(AcademyScopedAdmin):
    list_display = ("name", "code", "saio_email")
    search_fields = ("name", "code")

    def has_add_permission(self, request):
        return administers_everything(request.user)

    def has_delete_permission(self, request, obj=None):
        return administers_everything(request.user)

    def get_readonly_fields(self, request, obj=None):
        return () if administers_everything(request.user) else ("code", "name", "of_name")


@admin.register(Department)
class DepartmentAdmin(AcademyScopedAdmin):
    list_display = ("code", "name", "academy", "dsden_email")
    list_filter = ("academy",)
    search_fields = ("code", "name")
    list_select_related = ("academy",)

    # The départements come from the reference table (projects.reference): an académie
    # enters its DSDEN's mailbox, it neither adds nor moves one.
    def has_add_permission(self, request):
        return administers_everything(request.user)

    def has_delete_permission(self, request, obj=None):
        return administers_everything(request.user)

    def get_readonly_fields(self, request, obj=None):
        return () if administers_everything(request.user) else ("code", "name", "academy")


@admin.register(District)
class DistrictAdmin(ImportsFile, AcademyScopedAdmin):
    import_title = "Importer des districts et des réseaux FOQUALE"
    importer = networks_import
    import_columns = NETWORK_COLUMNS
    import_example = NETWORK_EXAMPLE

    list_display = ("name", "department")
    list_filter = ("department",)
    search_fields = ("name",)
    list_select_related = ("department",)


@admin.register(Establishment)
class EstablishmentAdmin(ImportsFile, AcademyScopedAdmin):
    import_title = "Importer des établissements"
    importer = establishments_import
    import_columns = ESTABLISHMENT_COLUMNS
    import_example = ESTABLISHMENT_EXAMPLE
    import_whole = False

    list_display = ("uai", "name", "kind", "sector", "city", "postcode", "department", "district")
    list_filter = ("department", "kind", "sector", "district")
    search_fields = ("uai", "name", "city", "postcode")
    list_select_related = ("department", "district__department")
    autocomplete_fields = ("district",)
    # The file's text, as imported (the name and city shown may be corrected by hand).
    readonly_fields = ("official_name", "official_city")
    list_per_page = 50
    actions = ["create_head_accounts"]

    @admin.action(
        description="Créer et inviter le compte du chef d'établissement (adresse fonctionnelle)",
        permissions=["change"],
    )
    def create_head_accounts(self, request, queryset):
        done = head_accounts_create(establishments=queryset, by=request.user)
        parts = [counted(done.created, "compte créé et invité", "comptes créés et invités")]
        if done.existing:
            parts.append(
                f"{counted(done.existing, 'établissement a', 'établissements ont')} déjà un chef"
            )
        if done.without_pattern:
            parts.append(
                f"{counted(done.without_pattern, 'établissement', 'établissements')} sans "
                "adresse fonctionnelle définie pour son académie (fiche de l'académie)"
            )
        self.message_user(request, " ; ".join(parts) + ".")

    def save_model(self, request, obj, form, change):
        # Through the service: the search texts follow a change of name, city or UAI.
        carrier_save(carrier=obj, changed=form.changed_data if change else None)


@admin.register(FoqualeNetwork)
class FoqualeNetworkAdmin(AcademyScopedAdmin):
    list_display = ("name", "department", "lead_establishment", "member_count")
    list_filter = ("department",)
    search_fields = ("name", "members__name", "members__uai")
    autocomplete_fields = ("lead_establishment", "members")
    list_select_related = ("department", "lead_establishment")

    def save_model(self, request, obj, form, change):
        # Through the service: the search texts follow a change of name, city or UAI.
        carrier_save(carrier=obj, changed=form.changed_data if change else None)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description="établissements", ordering="member_total")
    def member_count(self, network):
        return network.member_total


@admin.register(Membership)
class MembershipAdmin(RolesWithinReach, AcademyScopedAdmin):
    list_display = ("user", "role", "title", "scope_label")
    list_filter = ("role",)
    search_fields = ("user__email", "user__full_name", "establishment__name", "establishment__uai")
    autocomplete_fields = (
        "user",
        "establishment",
        "network",
        "district",
        "department",
        "academy",
    )
    list_select_related = (
        "user",
        "establishment",
        "network",
        "district__department",
        "department",
        "academy",
    )

    @admin.display(description="périmètre")
    def scope_label(self, membership):
        return membership.scope_label


@admin.register(ActionType)
class ActionTypeAdmin(OwnOrDefaultAdmin):
    """The champs and typologies: the default list (vadémécum) is the ministry's, an
    académie's own list (for every campaign or one) is its staff's."""

    list_display = ("label", "key", "kind", "parent", "academy", "campaign", "position")
    list_filter = ("kind", "academy", "campaign")
    search_fields = ("label", "key")
    list_select_related = ("parent", "academy", "campaign")
    fields = ("kind", "academy", "campaign", "label", "key", "parent", "description", "position")


@admin.register(AcademyCampaign)
class AcademyCampaignAdmin(AcademyScopedAdmin):
    """An académie's own calendar and pre-validation rule for a campaign."""

    academy_paths = ("academy",)
    list_display = ("academy", "campaign", "filing_opens_on", "euro_deadline", "hse_imp_deadline")
    list_filter = ("campaign",)
    list_select_related = ("academy", "campaign")
    fieldsets = (
        (None, {"fields": ("academy", "campaign", "requires_prevalidation")}),
        ("Calendrier (vide : la date de la campagne)", {"fields": ACADEMY_DATES}),
    )


@admin.register(Campaign)
class CampaignAdmin(AcademyScopedAdmin):
    shared = True  # one school year for every académie

    list_display = (
        "school_year",
        "is_current",
        "filing_opens_on",
        "euro_deadline",
        "hse_imp_deadline",
        "requires_prevalidation",
    )
    list_filter = ("is_current", "requires_prevalidation")
    search_fields = ("school_year",)
    actions = ["make_current"]
    fieldsets = (
        (None, {"fields": ("school_year", "is_current", "requires_prevalidation")}),
        ("Calendrier : dépôt, avis, bilans", {"fields": ("circular_published_on", *ACADEMY_DATES)}),
    )

    @admin.action(description="Définir comme campagne en cours", permissions=["change"])
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choisissez une seule campagne.", level="error")
            return
        campaign = queryset.get()
        campaign_make_current(campaign=campaign)
        self.message_user(request, f"{campaign} est désormais la campagne en cours.")


class ObjectiveInline(AcademyScopedInline, admin.TabularInline):
    model = Objective
    extra = 0
    max_num = MAX_OBJECTIVES


class CriterionInline(AcademyScopedInline, admin.TabularInline):
    model = EvaluationCriterion
    extra = 0
    max_num = MAX_CRITERIA


class AttachmentInline(AcademyScopedInline, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ProjectSheetAdminForm(forms.ModelForm):
    """The action's dates bounded as on the sheet's page. (No Meta: the admin gives the model
    and its fields, its readonly ones left out.)"""

    def clean(self):
        cleaned = super().clean()
        campaign = cleaned.get("campaign") or getattr(self.instance, "campaign", None)
        check_action_dates(self, campaign)
        return cleaned


@admin.register(ProjectSheet)
class ProjectSheetAdmin(AcademyScopedAdmin):
    """Sheets are filed in the application by their carrier; the admin corrects them."""

    list_display = ("title", "carrier_name", "department", "campaign", "status", "updated_at")
    list_filter = ("campaign", "department", "status", "typology", "field", "is_renewal")
    search_fields = ("title", "establishment__name", "establishment__uai", "network__name")
    list_select_related = ("establishment", "network", "department", "campaign")
    # The carrier fixes the département, and states change only through the workflow.
    readonly_fields = (
        "establishment",
        "network",
        "department",
        "status",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    autocomplete_fields = ("renewal_of",)
    form = ProjectSheetAdminForm
    inlines = [ObjectiveInline, CriterionInline, AttachmentInline]
    date_hierarchy = "updated_at"

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        sheet_correct(sheet=obj, changed=form.changed_data)

    @admin.display(description="porteur", ordering="establishment__name")
    def carrier_name(self, sheet):
        return sheet.carrier
