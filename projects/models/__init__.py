from .access import ROLE_SCOPE_FIELD, Membership
from .action_types import ActionType
from .attachments import Attachment
from .campaigns import AcademyCampaign, Campaign
from .directory import Academy, Department, District, Establishment, FoqualeNetwork
from .sheets import (
    EDITABLE_STATES,
    FILED_STATES,
    FUNDED_STATES,
    MAX_CRITERIA,
    MAX_OBJECTIVES,
    EvaluationCriterion,
    Objective,
    ProjectSheet,
    Status,
)

__all__ = [
    "MAX_CRITERIA",
    "EDITABLE_STATES",
    "FILED_STATES",
    "FUNDED_STATES",
    "MAX_OBJECTIVES",
    "ROLE_SCOPE_FIELD",
    "Academy",
    "AcademyCampaign",
    "ActionType",
    "Attachment",
    "Campaign",
    "Department",
    "District",
    "Establishment",
    "EvaluationCriterion",
    "FoqualeNetwork",
    "Membership",
    "Objective",
    "ProjectSheet",
    "Status",
]
