"""Meetings (beredning, styrgrupp), agendas, assessments, online votes, decisions, minutes and signed
decision documents – one module per concern; every model is importable from governance.models."""

from .decisions import Decision, DecisionAmount  # noqa: F401
from .documents import DecisionDocument, DocumentCopy, DocumentSignature, VerificationRequest, document_path  # noqa: F401
from .meetings import AgendaItem, Attendance, Body, Meeting, Minutes  # noqa: F401
from .review import Assessment, CriterionScore  # noqa: F401
from .voting import Ballot, Recusal, Vote  # noqa: F401
