import datetime

import pytest

from applications.cadence import cadence_description, length_in_months
from applications.enums import WorkForm
from applications.models import Proposal

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        pytest.param(D(2027, 1, 1), D(2027, 12, 31), 12, id="calendar-year"),
        pytest.param(D(2027, 1, 1), D(2028, 5, 31), 17, id="17-months"),
        pytest.param(D(2027, 1, 1), D(2028, 6, 30), 18, id="18-months"),
        pytest.param(D(2027, 1, 1), D(2028, 7, 31), 19, id="19-months"),
        pytest.param(D(2027, 3, 15), D(2028, 9, 14), 18, id="mid-month-18"),
    ],
)
def test_length_in_months(start, end, months):
    assert length_in_months(start, end) == months


@pytest.mark.parametrize(
    ("work_form", "end", "expected"),
    [
        pytest.param(
            WorkForm.PRE_STUDY, D(2028, 5, 31), "Halvtidsredovisning och slutredovisning.", id="17-halvtid"
        ),
        pytest.param(
            WorkForm.PROJECT, D(2028, 6, 30), "Årliga redovisningar och slutredovisning.", id="18-yearly"
        ),
        pytest.param(
            WorkForm.PROJECT, D(2028, 7, 31), "Årliga redovisningar och slutredovisning.", id="19-yearly"
        ),
        pytest.param(
            WorkForm.PROGRAMME, D(2027, 6, 30), "Halvårsredovisningar och slutredovisning.", id="program"
        ),
        pytest.param(
            WorkForm.PROFILE_AREA, D(2029, 12, 31), "Halvårsredovisningar och slutredovisning.", id="profile"
        ),
    ],
)
def test_cadence_follows_work_form_and_the_18_month_rule(work_form, end, expected):
    proposal = Proposal(work_form=work_form, planned_start=D(2027, 1, 1), planned_end=end)
    assert cadence_description(proposal) == expected
