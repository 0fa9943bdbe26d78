"""The models of the reviews app, defined in its packages; Django reads them from here.

Code of the app imports a model from its own package (``reviews.workflow.models``…), never
from this module, which sees every package (and would make each depend on all the others).
"""

from reviews.bilans.models import Bilan
from reviews.desk.models import (
    Assignment,
    Commission,
    CommissionSheet,
    Follow,
    Label,
    SheetLabel,
    StatisticsCells,
    Visit,
)
from reviews.documents.models import BulkExport
from reviews.workflow.models import (
    Advice,
    InfoRequest,
    Message,
    MessageAttachment,
    Note,
    Opinion,
    SheetEvent,
)

__all__ = [
    "Advice",
    "Assignment",
    "Bilan",
    "BulkExport",
    "Commission",
    "CommissionSheet",
    "Follow",
    "InfoRequest",
    "Label",
    "Message",
    "MessageAttachment",
    "Note",
    "Opinion",
    "SheetEvent",
    "SheetLabel",
    "StatisticsCells",
    "Visit",
]
