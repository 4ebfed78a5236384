"""Budget writes: the application budget (application.py), the agreement's frames and lines (frames.py), its
economy (economy.py: commitments, disbursements, spending), the finance-system import (imports.py) and the
verksamhetsplan (plans.py)."""

from .application import (  # noqa: F401
    MAX_AMOUNT,
    NO_PERIOD_MESSAGE,
    AmountError,
    budget_replace_unchecked,
    budget_save,
    parse_amount,
)
from .economy import (  # noqa: F401
    agreement_has_lines,
    commitment_lines,
    decision_recorded,
    default_line_for,
    disbursement_create,
    granted_for,
    line_room,
    over_commitment_problems,
    spending_replace_for_report,
)
from .frames import frame_save  # noqa: F401
from .imports import COLUMNS as IMPORT_COLUMNS  # noqa: F401
from .imports import (  # noqa: F401
    ImportResult,
    SpendingImportPlan,
    parse_spending_file,
    spending_import,
    spending_import_apply,
    spending_import_preview,
)
from .plans import (  # noqa: F401
    activity_delete,
    activity_save,
    plan_copy,
    plan_create,
    plan_present,
    plan_to_steering,
    plan_update,
)
from .proposed import clean_proposed, proposed_amounts_record, proposed_field  # noqa: F401
