"""The world most economy tests start from: an agreement, its processledare and a pool budget line with
frames for 2027 and 2028."""

import pytest

from tests.factories.budget import budget_line, frame
from tests.factories.governance import process_leader
from tests.factories.samverkan import AgreementFactory


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def leader(agreement):
    return process_leader(agreement)


@pytest.fixture
def pool(agreement):
    line = budget_line(agreement, "Förstudier och projekt", area="MKL")
    frame(agreement, 2027, {line: 1_000_000})
    frame(agreement, 2028, {line: 500_000})
    return line
