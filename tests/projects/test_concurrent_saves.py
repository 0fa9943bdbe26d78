"""Two people saving the same sheet at the same moment, on both databases: one save wins, the
other is told the sheet changed meanwhile and keeps what they typed — never a 500."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from aps.models import User
from projects import services
from projects.models import Establishment, ProjectSheet
from projects.services import sheet_version
from tests.concurrency import meeting_point, needs_shared_database, run_together
from tests.factories import SheetFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(needs_shared_database(), reason="threads need a shared database"),
]


def test_two_people_saving_a_sheet_at_once_never_get_an_error_nor_lose_text(personas, monkeypatch):
    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0931610V"), title="Début")
    # Last saved by someone else than the two writers: the winner changes who saved last.
    ProjectSheet.objects.filter(pk=sheet.pk).update(
        updated_by=User.objects.get(email="dsden93@aps.test")
    )
    sheet.refresh_from_db()
    version = sheet_version(sheet)
    url = reverse("projects:sheet_edit", kwargs={"pk": sheet.pk})

    # Both are inside their save at once, unless the save serialises them.
    meet = meeting_point()
    edit_allowed = services.can_edit_sheet

    def allowed_then_meet(user, locked):
        meet()
        return edit_allowed(user, locked)

    monkeypatch.setattr(services, "can_edit_sheet", allowed_then_meet)

    def save(email, title):
        def post():
            client = Client()
            client.force_login(User.objects.get(email=email))
            return client.post(
                url, {"title": title, "problem": f"Texte de {email}", "version": version}
            )

        return post

    outcomes = run_together(
        save("staff.college@aps.test", "Titre de l'adjoint"),
        save("chef.college@aps.test", "Titre du chef"),
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.status_code for o in outcomes) == [200, 302]
    winner = next(o for o in outcomes if o.status_code == 302)
    loser = next(o for o in outcomes if o.status_code == 200)
    page = html.unescape(loser.content.decode())
    assert "modifiée entre-temps" in page
    assert "Votre saisie n'a pas été enregistrée" in page
    loser_title = "Titre du chef" if "Titre du chef" in page else "Titre de l'adjoint"
    assert f'value="{loser_title}"' in page  # what they typed, kept
    sheet.refresh_from_db()
    assert sheet.title != loser_title and sheet.title in ("Titre du chef", "Titre de l'adjoint")
    assert winner.url == url
