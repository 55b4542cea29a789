"""``dongcheng gazette import FILE``: import an issue of the gazette from its plain text (SPEC §2.7), idempotently;
``dongcheng gazette check-directory``: the gazette's 任免 notices and division of work against the directory;
``dongcheng gazette publish ISSUE --out FILE``: the issue as it was printed, as PDF."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from dongcheng.cli.common import DatabaseUrl, cli_actor, open_engine, progress, refuse

gazette_app = typer.Typer(help="The gazette: import an issue from its plain text, check the directory against it, "
                          "publish an issue as PDF (SPEC §2.7)", no_args_is_help=True)

@gazette_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="the issue's text, UTF-8 (e.g. data/gazette/2022-03.txt)",
                                         exists=True, dir_okay=False, readable=True)],
    database_url: DatabaseUrl = None,
) -> None:
    """Split the issue into documents and clauses and store it; the same file again changes nothing."""
    from dongcheng.core.db import transaction
    from dongcheng.gazette.service import import_issue

    with transaction(open_engine(database_url)) as session:  # a refusal: one line, exit 1 (cli.common.Commands)
        result = import_issue(session, data=file.read_bytes(), source_name=file.name, actor=cli_actor())
        label = f"{result.issue.year}年第{result.issue.number}期"
    state = ("imported / 已导入" if result.created else "replaced / 已更新" if result.replaced
             else "unchanged / 未变化（同一文件已导入）")
    typer.echo(f"{label}: {state}; documents / 文件 {result.documents}, clauses / 条款 {result.clauses}, "
               f"table of contents / 目录 {result.toc_entries}")
    for note in result.notes:
        typer.echo(f"  note / 提示: {note}")


@gazette_app.command("check-directory")
def check_directory(
    database_url: DatabaseUrl = None,
    file: Annotated[Optional[Path], typer.Option(
        "--file", help="read the notices from this issue's text instead of the imported issues", exists=True,
        dir_okay=False, readable=True)] = None,
    apply: Annotated[bool, typer.Option(
        "--apply", help="record the 任免 lines the directory lacks (audited, one transaction); refuses doubtful ones")
    ] = False,
    transcription: Annotated[Optional[Path], typer.Option(
        "--transcription", help="compare the hand transcription in this data folder (e.g. data: data/directory/*.yaml) "
        "instead of the database", exists=True, file_okay=False)] = None,
) -> None:
    """Compare the 任免 notices and the division of work of the gazette with the directory (or, --transcription,
    with data/directory/*.yaml); exit 1 on any difference, 2 when the text cannot be read."""
    from dongcheng.core.db import transaction
    from dongcheng.core.errors import DomainError
    from dongcheng.gazette.notices_check import compare, directory_from_reference, plan_apply
    from dongcheng.reference.files import read_reference

    if transcription is not None and apply:
        typer.secho("--apply records into the database; it cannot be used with --transcription", fg="red", err=True)
        raise typer.Exit(2)

    applied: list = []
    refused: list = []
    try:
        with transaction(open_engine(database_url), write=apply) as session:
            notices, division = _read_gazette(session, file)
            division_number = division.number if division else None
            held = (directory_from_reference(read_reference(transcription)) if transcription is not None
                    else _directory_in_database(session, division_number))
            differences = compare(notices, division, held)
            if apply:
                ready, refused = plan_apply(differences)
                applied, failed = _record(session, ready, cli_actor())
                refused += failed
                differences = compare(notices, division, _directory_in_database(session, division_number))
    except DomainError as exc:
        refuse(exc, code=2)  # the text cannot be read
    lines = sum(len(n.actions) for n in notices)
    typer.echo(f"gazette / 公报: {len(notices)} 任免 notice(s), {lines} line(s); division of work / 分工: "
               + (f"{division.number}, {len(division.leaders)} leader(s)" if division else "none / 无"))
    for p in applied:
        typer.echo(f"  recorded / 已记录: {p.document} {p.action.action} {p.action.person} {p.unit}{p.action.title}")
    for p, reason in refused:
        typer.secho(f"  refused / 未记录: {p.document} {p.action.action} {p.action.person} {p.action.post_text} — {reason}",
                    fg="yellow")
    if not differences:
        typer.echo("the directory agrees with the gazette / 目录与公报一致")
        return
    typer.echo(f"{len(differences)} difference(s) / 处差异:")
    for difference in differences:
        typer.echo(f"- {difference}")
    raise typer.Exit(1)


def _read_gazette(session, file: Path | None):
    """The 任免 notices and the latest division of work: from FILE, or from every imported issue (newest printing of
    a document number first)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from dongcheng.gazette import notices, rules
    from dongcheng.gazette.models import GazetteDocument, GazetteIssue
    from dongcheng.gazette.service import decode

    if file is not None:
        documents = list(rules.parse_issue(decode(file.read_bytes())).documents)
    else:
        documents = list(session.scalars(
            select(GazetteDocument).join(GazetteIssue).options(selectinload(GazetteDocument.issue))
            .order_by(GazetteIssue.year.desc(), GazetteIssue.number.desc(), GazetteDocument.seq)))
    newest: dict = {}
    for document in documents:
        newest.setdefault(document.number, document)
    documents = list(newest.values())
    found = [notices.parse_appointment_notice(d) for d in documents if notices.is_appointment_notice(d)]
    divisions = sorted((d for d in documents if notices.is_division_of_work(d)), key=lambda d: d.signed_on or date.min)
    return found, notices.parse_division_of_work(divisions[-1]) if divisions else None


def _directory_in_database(session, division_number: str | None):
    from dongcheng.gazette.directory_service import directory_in_database

    return directory_in_database(session, division_number)


def _record(session, ready, actor):
    """record_appointment() for each line, each in a savepoint: a line the directory refuses (a 免去 of someone who
    does not hold the post) is reported and the others stay recorded."""
    from sqlalchemy import select

    from dongcheng.core.errors import DomainError
    from dongcheng.directory.models import Unit
    from dongcheng.directory.service import record_appointment

    units = {u.name: u for u in session.scalars(select(Unit))}
    applied, failed = [], []
    for p in ready:
        act = p.action
        try:
            with session.begin_nested():
                record_appointment(session, actor=actor, person_name=act.person, unit=units[p.unit], title=act.title,
                                   action=act.action, effective_on=p.decided_on, document=p.document, text=act.text,
                                   concurrent=act.concurrent, probation_months=act.probation_months)
            applied.append(p)
        except DomainError as exc:
            failed.append((p, "; ".join(f"{f.zh} / {f.en}" for f in exc.fields) or str(exc)))
    return applied, failed


@gazette_app.command("publish")
def publish_issue(
    issue: Annotated[str, typer.Argument(help="the issue: its id, or YEAR-NUMBER (2022-3)")],
    out: Annotated[Path, typer.Option("--out", help="the PDF to write", dir_okay=False, writable=True)],
    database_url: DatabaseUrl = None,
) -> None:
    """Render the issue as it was printed — cover, 目录 with the PDF's own page numbers, every document — to a PDF
    (GB/T 9704 typography, WeasyPrint). Reads the database; changes nothing."""
    from dongcheng.core.db import transaction
    from dongcheng.gazette import publish

    if not out.parent.is_dir():  # before seconds of rendering
        typer.secho(f"文件夹不存在 / no such folder: {out.parent}", fg="red", err=True)
        raise typer.Exit(2)
    with transaction(open_engine(database_url), write=False) as session:  # a refusal: one line (cli.common)
        found = _issue(session, issue)
        label = f"{found.year}年第{found.number}期"
        laid_out = [0]  # WeasyPrint lays the pages out again until the 目录's page numbers settle: count each once

        def on_page(n: int) -> None:
            if n > laid_out[0]:
                advance(n - laid_out[0])
                laid_out[0] = n

        with progress(f"{label} 排版 / laying out pages") as advance:
            printed = publish.publish(session, found.id, on_page=on_page)
    out.write_bytes(printed.pdf)
    how = "from the cache / 缓存" if printed.cached else f"rendered in {printed.seconds:.1f} s / 用时"
    typer.echo(f"{label}: {printed.pages} pages / 页 → {out} ({len(printed.pdf) // 1024} KB, {how})")


def _issue(session, key: str):
    """An issue by id or by YEAR-NUMBER; a 404 DomainError naming the key otherwise."""
    import re

    from dongcheng.core.errors import not_found
    from dongcheng.gazette import repository
    from dongcheng.gazette.service import get_issue

    key = key.strip()
    if m := re.fullmatch(r"(\d{4})\s*[-/年]\s*第?\s*(\d{1,3})\s*期?", key):
        found = repository.issue_by_number(session, int(m.group(1)), int(m.group(2)))
        if found is None:
            raise not_found("公报", "gazette issue", key)
        return found
    if key.isascii() and key.isdigit() and 0 < int(key) < 2**31:
        return get_issue(session, int(key))
    raise not_found("公报", "gazette issue", key)
