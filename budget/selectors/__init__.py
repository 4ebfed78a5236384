"""Budget reads: the application budget (application.py) and the agreement's economy (economy.py)."""

from .application import (  # noqa: F401
    AppliedYear,
    BudgetSummary,
    BudgetTable,
    CategoryRow,
    Cell,
    Column,
    SummaryRow,
    YearBudget,
    applied_per_year,
    budget_summary,
    budget_table,
    party_columns,
)
from .economy import (  # noqa: F401
    RELEASED_STATES,
    AreaRow,
    EconomyOverview,
    EconomySummary,
    Figures,
    GroupRow,
    LineRow,
    ProjectRow,
    YearFigures,
    default_year,
    economy_overview,
    economy_summary,
    frame_years,
)
from .frames import FrameLineInput, frame_inputs  # noqa: F401
from .plans import PlanBudget, plan_budget, plans_for  # noqa: F401
from .project import (  # noqa: F401
    ProjectEconomy,
    ProjectYear,
    decision_budget_lines,
    decision_commitments,
    project_economy,
)
from .proposed import proposed_for_item, proposed_for_proposal  # noqa: F401
