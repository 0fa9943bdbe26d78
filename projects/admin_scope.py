"""The administration narrowed to the académie, as the application is.

An académie's staff (``is_staff`` and an académie membership, not superusers) administer their
académie only: every list, every change page and every choice of a related object (select,
autocomplete) holds what lies in their académie; the instance's common settings (campaigns,
default rates) are read-only to them. The ministry's staff and superusers without an académie
membership administer every académie.

A model admin declares the paths from its model to an académie (``academy_paths``); the
models of the directory are known here (``ACADEMY_PATHS``) so that the choices offered by any
form are narrowed the same way."""

from django.contrib import admin
from django.db.models import Q, QuerySet

from aps.models import User

from .models import (
    Academy,
    ActionType,
    Department,
    District,
    Establishment,
    FoqualeNetwork,
    Membership,
    ProjectSheet,
)
from .rules import has_role, memberships_of

R = Membership.Role

_MEMBERSHIP_PATHS = (
    "academy",
    "department__academy",
    "district__department__academy",
    "network__department__academy",
    "establishment__department__academy",
)
# From each model to the académie (or académies) it belongs to; any of the paths puts it in.
ACADEMY_PATHS = {
    Academy: ("pk",),
    ActionType: ("academy",),
    Department: ("academy",),
    District: ("department__academy",),
    Establishment: ("department__academy",),
    FoqualeNetwork: ("department__academy",),
    ProjectSheet: ("department__academy",),
    Membership: _MEMBERSHIP_PATHS,
    User: tuple(f"memberships__{path}" for path in _MEMBERSHIP_PATHS),
}


def admin_academies(user) -> list[int] | None:
    """The ids of the académies ``user`` administers; None for every one (the ministry's
    staff, a superuser who holds no académie membership)."""
    if has_role(user, R.NATIONAL):
        return None
    ids = [m.academy_id for m in memberships_of(user) if m.role == R.ACADEMIE]
    if ids:
        return ids
    return None if user.is_superuser else []


def administers_everything(user) -> bool:
    """Whether ``user`` may change what every académie shares (campaigns, default rates,
    the list of académies, rights beyond an académie)."""
    return user.is_superuser or has_role(user, R.NATIONAL)


def is_academie_admin(user) -> bool:
    """Staff of the admin through a role (académie or ministry), superuser or not."""
    return (
        user.is_active and user.is_staff and has_role(user, R.ACADEMIE, R.NATIONAL)
    ) or user.is_superuser


def in_academies(queryset: QuerySet, ids: list[int] | None, paths=None) -> QuerySet:
    """``queryset`` narrowed to the académies ``ids`` (None: unchanged)."""
    if ids is None:
        return queryset
    paths = paths or ACADEMY_PATHS.get(queryset.model)
    if paths is None:
        return queryset
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{path}__in": ids})
    if queryset.model is User:
        # An account without any role yet (just created here) belongs to no académie: its
        # creator must be able to open it to give it one.
        condition |= Q(memberships__isnull=True)
    # Through a subquery: paths across many-valued relations would repeat rows.
    return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))


class AcademyScopedAdmin(admin.ModelAdmin):
    """A model admin narrowed to the user's académies; académie staff may act on what they
    see without Django's per-model permissions (the role is the permission), unless
    ``shared`` says the model is common to every académie (then read-only to them)."""

    academy_paths: tuple[str, ...] | None = None
    shared = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return in_academies(queryset, admin_academies(request.user), self.academy_paths)

    def _narrowed(self, request, db_field, kwargs):
        ids = admin_academies(request.user)
        if ids is not None and db_field.related_model in ACADEMY_PATHS:
            base = kwargs.get("queryset", db_field.related_model._default_manager.all())
            kwargs["queryset"] = in_academies(base, ids)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._narrowed(request, db_field, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._narrowed(request, db_field, kwargs)
        )

    def _role_grants(self, request, *, write: bool) -> bool:
        if not is_academie_admin(request.user):
            return False
        return not (write and self.shared and not administers_everything(request.user))

    def has_module_permission(self, request):
        return self._role_grants(request, write=False) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._role_grants(request, write=False) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._role_grants(request, write=True) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._role_grants(request, write=True) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._role_grants(request, write=True) or super().has_delete_permission(request, obj)


class AcademyScopedInline:
    """The same narrowing of choices for an inline (mixed into Tabular/StackedInline)."""

    _narrowed = AcademyScopedAdmin._narrowed

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._narrowed(request, db_field, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._narrowed(request, db_field, kwargs)
        )

    def _role_grants(self, request) -> bool:
        return is_academie_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self._role_grants(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._role_grants(request) or super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._role_grants(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._role_grants(request) or super().has_delete_permission(request, obj)


class OwnOrDefaultAdmin(AcademyScopedAdmin):
    """A model whose rows are an académie's own (``academy`` set) or the default for every
    académie (``academy`` empty): académie staff read the default rows and write their own;
    the ministry writes both."""

    academy_paths = ("academy",)

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        ids = admin_academies(request.user)
        if ids is None:
            return queryset
        return queryset.filter(Q(academy__in=ids) | Q(academy__isnull=True))

    def _own(self, request, obj) -> bool:
        return obj is None or obj.academy_id is not None or administers_everything(request.user)

    def has_change_permission(self, request, obj=None):
        return self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._own(request, obj) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "academy" in form.base_fields and not administers_everything(request.user):
            # An académie writes its own rows; the default ones are the ministry's.
            form.base_fields["academy"].required = True
            form.base_fields["academy"].empty_label = None
        return form
