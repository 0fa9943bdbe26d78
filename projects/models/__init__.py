from .directory import (
    Campaign,
    Department,
    District,
    Establishment,
    FoqualeNetwork,
    Membership,
)
from .sheets import (
    MAX_CRITERIA,
    MAX_OBJECTIVES,
    Attachment,
    EvaluationCriterion,
    Objective,
    ProjectSheet,
)

__all__ = [
    "MAX_CRITERIA",
    "MAX_OBJECTIVES",
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
]
