from django import forms
from django.contrib import admin, messages

from aps.numbers import FrenchDecimalField, euros, quantity
from projects.admin_scope import AcademyScopedAdmin, AcademyScopedInline, OwnOrDefaultAdmin

from .models import Envelope, Estimate, EuroLine, Grant, HseLine, ImpLine, Rates
from .services import (
    FundingError,
    envelope_overspend,
    envelope_uses,
    grant_check,
    grant_correct,
    overspend_message,
)


@admin.register(Rates)
class RatesAdmin(OwnOrDefaultAdmin):
    """The campaign's rates (every académie's, the ministry's to write) and an académie's own."""

    list_display = (
        "campaign",
        "academy",
        "face_to_face_hours_per_hse",
        "peripheral_hours_per_hse",
        "hse_euro_rate",
        "imp_annual_base",
        "imp_fractions",
    )
    search_fields = ("campaign__school_year",)
    list_filter = ("campaign", "academy")


class HseLineInline(AcademyScopedInline, admin.TabularInline):
    model = HseLine
    extra = 0


class ImpLineInline(AcademyScopedInline, admin.TabularInline):
    model = ImpLine
    extra = 0


class EuroLineInline(AcademyScopedInline, admin.TabularInline):
    model = EuroLine
    extra = 0
    raw_id_fields = ("quote",)


@admin.register(Estimate)
class EstimateAdmin(AcademyScopedAdmin):
    """Totals are computed from the lines by the application, never typed."""

    academy_paths = ("sheet__department__academy",)
    list_display = ("sheet", "total_euros", "total_hse", "total_imp", "updated_at")
    search_fields = ("sheet__title", "sheet__establishment__name", "sheet__establishment__uai")
    list_filter = ("sheet__campaign", "sheet__department")
    list_select_related = ("sheet",)
    readonly_fields = (
        "sheet",
        "total_hours",
        "total_hse",
        "hse_euros",
        "total_imp",
        "imp_euros",
        "total_euros",
        "updated_by",
    )
    inlines = [HseLineInline, ImpLineInline, EuroLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # lines change through the sheet's estimate page, which recomputes totals

    def has_delete_permission(self, request, obj=None):
        return False  # an estimate goes with its sheet (the sheet keeps copies of its totals)


class GrantAdminForm(forms.ModelForm):
    """The amounts checked as the DSDEN's answer checks them: a refusal is a form error, not
    the database's constraint turned into a server error."""

    class Meta:
        model = Grant
        fields = ("euros", "hse", "imp")
        field_classes = dict.fromkeys(fields, FrenchDecimalField)

    def clean(self):
        cleaned = super().clean()
        amounts = [cleaned.get(name) for name in ("euros", "hse", "imp")]
        if None not in amounts:
            sheet = self.instance.sheet
            try:
                grant_check(sheet=sheet, euros=amounts[0], hse=amounts[1], imp=amounts[2])
            except FundingError as error:
                raise forms.ValidationError(str(error)) from None
            over = envelope_overspend(sheet=sheet, euros=amounts[0], hse=amounts[1], imp=amounts[2])
            if over:
                raise forms.ValidationError(f"{overspend_message(over)}.")
        return cleaned


@admin.register(Grant)
class GrantAdmin(AcademyScopedAdmin):
    academy_paths = ("sheet__department__academy",)
    list_display = (
        "sheet",
        "euros",
        "requested_euros",
        "hse",
        "requested_hse",
        "imp",
        "requested_imp",
    )
    list_filter = ("sheet__campaign", "sheet__department")
    search_fields = ("sheet__title", "sheet__establishment__name")
    list_select_related = ("sheet",)
    readonly_fields = ("sheet", "requested_euros", "requested_hse", "requested_imp", "granted_by")
    form = GrantAdminForm

    def has_add_permission(self, request):
        return False  # written by the DSDEN's answer

    def save_model(self, request, obj, form, change):
        # Through the service, which checks again with the sheet and its envelope locked (a
        # validation made meanwhile) and copies the request; a refusal then is said, not a 500.
        try:
            grant_correct(
                sheet=obj.sheet, by=request.user, euros=obj.euros, hse=obj.hse, imp=obj.imp
            )
        except FundingError as error:
            messages.error(request, f"Attribution non enregistrée : {error}")


@admin.register(Envelope)
class EnvelopeAdmin(AcademyScopedAdmin):
    academy_paths = ("department__academy",)
    list_display = ("department", "campaign", "euros", "hse", "imp", "use")
    list_filter = ("campaign", "department")
    list_select_related = ("campaign", "department")

    @admin.display(description="accordé / reste")
    def use(self, envelope):
        (use,) = envelope_uses([envelope])
        return (
            f"{euros(use.granted_euros)} / {euros(use.remaining_euros)} ; "
            f"{quantity(use.granted_hse)} / {quantity(use.remaining_hse, 'HSE')} ; "
            f"{quantity(use.granted_imp)} / {quantity(use.remaining_imp, 'IMP')}"
        )
