import pytest

from samverkan.enums import Role
from tests.factories.followup import active_project
from tests.factories.governance import process_leader
from tests.factories.samverkan import person_with_role


@pytest.fixture
def project(db):
    """An active 12-month project starting today: halvtidsredovisning + slutredovisning, two goals."""
    return active_project(months=12)


@pytest.fixture
def researcher(project):
    return project.responsible_researcher


@pytest.fixture
def officer(project):
    return project.responsible_officer


@pytest.fixture
def leader(project):
    return process_leader(project.agreement)


@pytest.fixture
def communicator(project):
    return person_with_role(project.agreement, Role.COMMUNICATOR)


@pytest.fixture
def outsider(project):
    """A researcher in the agreement who is not in the project's team."""
    return person_with_role(project.agreement, Role.RESEARCHER)


@pytest.fixture
def half_time(project):
    return project.followup_reports.get(kind="halvtid")


@pytest.fixture
def final(project):
    return project.followup_reports.get(kind="slut")
