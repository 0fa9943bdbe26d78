import pytest

from tests.browser.test_review_journey import log_in


@pytest.fixture
def signed_in(browser, live_server, demo_sheets):
    """A function giving a browser page at ``width`` px, in French, signed in as ``email``;
    the pages' contexts are closed after the test."""
    contexts = []

    def page_for(email, width):
        context = browser.new_context(viewport={"width": width, "height": 740}, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server, email)
        return page

    yield page_for
    for context in contexts:
        context.close()
