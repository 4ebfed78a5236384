from .plans import (  # noqa: F401
    activity_add,
    goal_add,
    plan_create,
    plan_row_remove,
    plan_schedule,
    plan_submit,
    plan_total,
    plan_update,
)
from .publications import publication_publish, publication_withdraw  # noqa: F401
from .reports import (  # noqa: F401
    ReportError,
    compute_sections,
    pdf_context,
    pending_reports,
    report_failed,
    report_generate,
    report_request,
    reportable,
    schedule_previous_quarter,
)
