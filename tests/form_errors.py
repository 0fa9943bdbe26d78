"""Assertions on the alert that says a refused form's errors at the top of the page."""

import html
import re


def error_alert(response) -> str:
    """The alert's HTML, after checking the page's title and that the alert comes first."""
    page = response.content.decode()
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1]).strip()
    assert title.startswith("Erreur : "), title
    alert = re.search(
        r'<div class="fr-alert fr-alert--error[^"]*"[^>]*id="form-errors".*?</div>', page, re.S
    )
    assert alert, "no error alert"
    main = page.index('<main id="content"')
    assert page.index(alert[0]) > main
    assert "<form" not in page[main : page.index(alert[0])], "the alert comes before any form"
    return alert[0]


def assert_error_links(response, *field_ids) -> str:
    alert = error_alert(response)
    count = len(re.findall(r"<li>", alert))
    assert f"Le formulaire contient {count} erreur" in alert
    for field_id in field_ids:
        assert f'href="#{field_id}"' in alert, field_id
        assert f'id="{field_id}"' in response.content.decode(), field_id
    return alert


def assert_no_error_alert(response):
    page = response.content.decode()
    assert 'id="form-errors"' not in page
    assert "<title>Erreur" not in page
