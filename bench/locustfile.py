"""Load of ``make bench``: DSDEN reviewers, establishment staff and MLDS coordinators reading
their pages and writing (the writes are MLDS advice and draft creation), with the demo
accounts. Each user signs in as the State's agents do, through ProConnect: here the local
OpenID provider ``bench/load.py`` starts (``APS_LOAD_PROVIDER``), which knows each account by
its address; without it, with the password form (PBKDF2)."""

import os
import random
import re

from locust import FastHttpUser, between, task

PASSWORD = "demo-aps"
PROVIDER = os.environ.get("APS_LOAD_PROVIDER", "")


def location(response) -> str:
    return response.headers.get("Location") or response.headers.get("location")


class Visitor(FastHttpUser):
    """A user on geventhttpclient (locust's FastHttpUser): the load generator shares the
    machine's two cores with the server, and takes several times less of them than with
    requests."""

    abstract = True
    wait_time = between(0.5, 2)
    email = ""

    def on_start(self):
        if PROVIDER:
            self.sign_in_with_proconnect()
        else:
            self.sign_in_with_password()
        listing = self.client.get("/projets/?campaign=", name="list")
        self.sheets = [int(pk) for pk in re.findall(r'href="/projets/(\d+)/"', listing.text)]

    def sign_in_with_proconnect(self):
        """The button, the provider's consent (the provider's own time is reported apart), and
        the callback, where APS redeems the code and reads the agent's claims."""
        self.client.get("/connexion/", name="login page")
        start = self.client.get(
            "/connexion/proconnect/", allow_redirects=False, name="login: to ProConnect"
        )
        consent = self.client.post(
            location(start),
            data={"sub": self.email},
            allow_redirects=False,
            name="provider: consent (not APS)",
        )
        with self.client.get(
            location(consent),
            allow_redirects=False,
            name="login: back from ProConnect",
            catch_response=True,
        ) as back:
            if back.status_code != 302:
                back.failure(f"not signed in: {back.status_code}")

    def sign_in_with_password(self):
        page = self.client.get("/connexion/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/connexion/",
            {"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
        )

    @task(1)
    def trivial(self):
        """The bench's trivial page (its password change form), for the load's baseline."""
        self.client.get("/mot-de-passe/", name="trivial page")

    def csrf(self, url, name):
        page = self.client.get(url, name=name)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return match.group(1) if match else ""


class Reviewer(Visitor):
    weight = 3
    email = "dsden93@aps.test"

    @task(4)
    def list(self):
        self.client.get("/projets/", name="list")

    @task(2)
    def filtered(self):
        self.client.get("/projets/?status=in_review&means=hse&o=-hse", name="filtered list")

    @task(3)
    def detail(self):
        if self.sheets:
            self.client.get(f"/projets/{random.choice(self.sheets)}/", name="sheet detail")

    @task(1)
    def statistics(self):
        self.client.get("/statistiques/", name="statistics")

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class Coordinator(Visitor):
    weight = 1
    email = "mlds@aps.test"

    @task(3)
    def list(self):
        self.client.get("/projets/", name="list")

    @task(1)
    def advise(self):
        if not self.sheets:
            return
        pk = random.choice(self.sheets)
        token = self.csrf(f"/projets/{pk}/", "sheet detail")
        self.client.post(
            f"/projets/{pk}/conseil/",
            {"text": "Pensez à associer la mission locale.", "csrfmiddlewaretoken": token},
            name="advice (write)",
        )


class Staff(Visitor):
    weight = 2
    email = "staff.college@aps.test"

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(1)
    def create_draft(self):
        token = self.csrf("/projets/nouveau/", "new sheet form")
        self.client.post(
            "/projets/nouveau/",
            {"title": "Atelier de remobilisation", "csrfmiddlewaretoken": token},
            name="new draft (write)",
        )
