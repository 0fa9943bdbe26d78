"""Factories with named scenarios. UAIs are generated with a valid check letter."""

import factory

from aps.models import User
from projects.models import Department, District, Establishment, FoqualeNetwork, Membership
from projects.services import departments_ensure
from projects.uai import uai_check_letter


def department(code: str) -> Department:
    """The départements come from a data migration; a transactional test's flush removes
    them, hence the ensure."""
    departments_ensure()
    return Department.objects.get(code=code)


def make_uai(department_code: str, n: int) -> str:
    digits = f"{department_code.zfill(3)}{9000 + n:04d}"
    return digits + uai_check_letter(digits)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@aps.test")
    full_name = factory.Sequence(lambda n: f"Personne {n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-test")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    department = factory.LazyFunction(lambda: department("93"))
    name = factory.Sequence(lambda n: f"District {n}")


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    department = factory.LazyFunction(lambda: department("93"))
    uai = factory.LazyAttributeSequence(lambda o, n: make_uai(o.department.code, n))
    name = factory.Sequence(lambda n: f"Collège Numéro {n}")
    kind = Establishment.Kind.COLLEGE
    sector = Establishment.Sector.PUBLIC
    city = "Bobigny"
    postcode = "93000"

    class Params:
        lycee = factory.Trait(kind=Establishment.Kind.LYCEE_GT, name="Lycée Test")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoqualeNetwork
        skip_postgeneration_save = True

    department = factory.LazyFunction(lambda: department("93"))
    name = factory.Sequence(lambda n: f"Réseau FOQUALE {n}")

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)


def member(user=None, *, role: str, **scope) -> User:
    """Give ``user`` (a new one by default) the role over the scope; return the user."""
    user = user or UserFactory()
    Membership.objects.create(user=user, role=role, **scope)
    return user
