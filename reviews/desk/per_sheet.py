"""Values looked up for each sheet of a page of rows (the list's, the DSDEN home's, the
export's), written as SQL subqueries on the outermost query's sheet.

A page of the list reads three such values (the network's latest opinion, when the reviewer
last opened the sheet, who is in charge). As Django ``Subquery`` expressions they cost more
to compose than PostgreSQL takes to run them: resolving their inner querysets took 1.2 ms a
page (the list costs ≈ 15 ms more than the trivial page). Written here once each, in the SQL
both backends read. They name the sheet's table: use them only on a queryset of sheets
that is the outermost query (Django aliases a table inside a subquery)."""

from django.db.models import CharField, DateTimeField
from django.db.models.expressions import RawSQL

from aps.models import User
from projects.models import ProjectSheet

SHEET_ID = f"{ProjectSheet._meta.db_table}.id"


def latest_opinion() -> RawSQL:
    """The key of the network's latest opinion on the sheet (``Opinion.Value``), or none."""
    from reviews.workflow.models import Opinion

    return RawSQL(
        f"SELECT opinion.value FROM {Opinion._meta.db_table} opinion "
        f"WHERE opinion.sheet_id = {SHEET_ID} "
        "ORDER BY opinion.created_at DESC, opinion.id DESC LIMIT 1",
        (),
        output_field=CharField(),
    )


def seen_at(user) -> RawSQL:
    """When ``user`` last opened the sheet (one visit per user and sheet), or none."""
    from .models import Visit

    return RawSQL(
        f"SELECT visit.seen_at FROM {Visit._meta.db_table} visit "
        f"WHERE visit.sheet_id = {SHEET_ID} AND visit.user_id = %s",
        (user.pk,),
        output_field=DateTimeField(),
    )


def assignee_name() -> RawSQL:
    """The name of the reviewer the sheet is assigned to (one at most), or none."""
    from .models import Assignment

    return RawSQL(
        f"SELECT reviewer.full_name FROM {Assignment._meta.db_table} assignment "
        f"JOIN {User._meta.db_table} reviewer ON reviewer.id = assignment.reviewer_id "
        f"WHERE assignment.sheet_id = {SHEET_ID}",
        (),
        output_field=CharField(),
    )
