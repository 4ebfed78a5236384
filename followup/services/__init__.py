"""Every write in follow-up. Views call these; they check permission again and run in one transaction."""

from .events import event_create, event_update, presentation_register, presentation_remove  # noqa: F401
from .goals import goal_save, goal_year_save, goals_followup_to_agenda  # noqa: F401
from .reminders import reminders_send  # noqa: F401
from .reports import (  # noqa: F401
    attachment_add,
    closing_try,
    closure_put_on_agenda,
    closure_reopened,
    missing_for_submission,
    report_put_on_agenda,
    report_save,
    report_submit,
    report_treat,
)
from .schedule import refresh_states, schedule_change_end_date, schedule_generate  # noqa: F401
