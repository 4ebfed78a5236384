"""Every write in governance. Views call these; they check permission again and run in one transaction."""

from ..minutes_draft import minutes_draft_text  # noqa: F401
from .decisions import (  # noqa: F401
    DecisionError,
    acclamation_not_possible,
    decision_by_acclamation,
    decision_correct,
    decision_from_vote,
)
from .documents import (  # noqa: F401
    DocumentError,
    copy_register,
    document_generate,
    document_request,
    document_sign,
)
from .meetings import (  # noqa: F401
    attendance_set,
    ensure_bodies,
    invitation_send,
    item_add,
    item_remove,
    meeting_create,
    meeting_mark_held,
    meeting_update,
    moment_label,
)
from .minutes import (  # noqa: F401
    minutes_approve,
    minutes_for,
    minutes_pdf_failed,
    minutes_render_pdf,
    minutes_retry_pdf,
    minutes_save,
)
from .review import assessment_save, outcome_record  # noqa: F401
from .verification import verify  # noqa: F401
from .voting import (  # noqa: F401
    VotingError,
    ballot_cast,
    close_expired_votes,
    item_carry_forward,
    no_voters_message,
    not_seated_message,
    preview,
    recusal_declare,
    vote_close,
    vote_not_openable_yet,
    vote_open,
    vote_reopen,
)
