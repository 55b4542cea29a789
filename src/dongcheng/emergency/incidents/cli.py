"""``dongcheng duty-contacts``: where the escalation waves of the reporting clock go (escalation.py) — a unit's duty
room or a leader seat's office, by unit or by post (never by person). Additions and removals are audited; the
address itself is not written to the audit log."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from dongcheng.cli.common import DatabaseUrl, cli_actor, open_engine

duty_contacts_app = typer.Typer(help="Duty contacts the reporting-clock reminders go to / 报送时限提醒的值班联系方式",
                                no_args_is_help=True)


@duty_contacts_app.command("add")
def add(contact: Annotated[str, typer.Argument(help="the address on the channel (a phone number for sms)")],
        unit: Annotated[Optional[str], typer.Option(help="a unit's name or alias, e.g. 区城市管理委")] = None,
        post: Annotated[Optional[str], typer.Option(help="a leader seat's code, e.g. executive-vice-mayor")] = None,
        channel: Annotated[str, typer.Option(help="the channel its gateway serves")] = "sms",
        label: Annotated[str, typer.Option(help="what it is, e.g. 值班室, 办公室")] = "值班室",
        database_url: DatabaseUrl = None) -> None:
    """Add a duty contact of a unit (--unit) or of a leader seat (--post)."""
    from dongcheng.core.db import transaction
    from dongcheng.emergency.incidents import escalation

    with transaction(open_engine(database_url)) as session:
        row = escalation.add_duty_contact(session, actor=cli_actor(), unit_name=unit, post_code=post,
                                          channel=channel, contact=contact, label=label)
        typer.echo(f"#{row.id} {unit or post} {label} ({channel}) added / 已登记")


@duty_contacts_app.command("list")
def list_(database_url: DatabaseUrl = None) -> None:
    """Every duty contact, with the unit or post it reaches."""
    from dongcheng.core.db import transaction
    from dongcheng.emergency.incidents import escalation

    with transaction(open_engine(database_url), write=False) as session:
        rows = escalation.duty_contacts(session)
        for row, target in rows:
            typer.echo(f"#{row.id}\t{target}\t{row.label}\t{row.channel}\t{row.contact}")
        if not rows:
            typer.echo("no duty contacts / 尚未登记值班联系方式")


@duty_contacts_app.command("remove")
def remove(contact_id: Annotated[int, typer.Argument(help="the # shown by list")],
           database_url: DatabaseUrl = None) -> None:
    """Remove a duty contact."""
    from dongcheng.core.db import transaction
    from dongcheng.emergency.incidents import escalation

    with transaction(open_engine(database_url)) as session:
        escalation.remove_duty_contact(session, actor=cli_actor(), contact_id=contact_id)
    typer.echo(f"#{contact_id} removed / 已删除")
