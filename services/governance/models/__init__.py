"""SQLAlchemy models of the governance service (its own database)."""

from services.governance.models.base import AuditEntry, Base
from services.governance.models.gdpr import (
    Breach,
    ProcessingRecord,
    ProcessorEntry,
    SubjectRequest,
    SubProcessor,
)
from services.governance.models.meetings import Body, Decision, Meeting, MeetingMember
from services.governance.models.packs import StrategicPack
from services.governance.models.plans import (
    Action,
    ActionIndicator,
    ActionMember,
    Axis,
    Indicator,
    Measurement,
)
from services.governance.models.projects import Project, TeamCapacity, WorkloadLine

__all__ = [
    "Action",
    "ActionIndicator",
    "ActionMember",
    "AuditEntry",
    "Axis",
    "Base",
    "Body",
    "Breach",
    "Decision",
    "Indicator",
    "Measurement",
    "Meeting",
    "MeetingMember",
    "ProcessingRecord",
    "ProcessorEntry",
    "Project",
    "StrategicPack",
    "SubProcessor",
    "SubjectRequest",
    "TeamCapacity",
    "WorkloadLine",
]
