import pytest


@pytest.fixture
def directory_departments(db):
    """The départements the import reads, from a data migration that a transactional test run
    before in the same process (a browser test) may have flushed."""
    from projects.services import departments_ensure

    departments_ensure(["77", "93", "94"])
