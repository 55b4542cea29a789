"""The framework's own ceiling for intake, the incident read and the board: a bare FastAPI app writing (and reading)
the same rows as ``POST /api/incidents`` (and ``GET /api/incidents/{id}``, ``GET /api/incidents``) with plain SQL, one
transaction per request.

    python -m bench.bare_app --database-url URL --port P [--workers N]

It is started exactly as ``dongcheng serve`` starts the platform (``uvicorn.run`` with the same host, workers,
log level, access log and ``proxy_headers=False``), on the same database, after the platform has migrated it and
loaded its reference data and demo users; its engine is ``dongcheng.core.db.make_engine`` (same pool, SQLite
pragmas, ``BEGIN IMMEDIATE`` for writers). What it does per request, and nothing more:

- ``POST /api/incidents``: one token ``SELECT`` (api_tokens ⋈ users ⋈ units), then in one transaction the rows the
  platform writes for an incident of a known event type (read from its SQL echo): ``incidents`` (RETURNING id),
  one ``deadlines`` row (初报, due 10 min after receipt), one ``incident_leads`` row per lead of the event type,
  the ``search_entries`` entry (DELETE + INSERT), the ``audit_entries`` entry with its leaf hash
  (``audit.rules.leaf_hash``; sequenced later, as the platform's are) and the ``incident_level_changes`` proposal.
  Street, event type and its leads come from a dict filled at startup (issue 11 item 2's reference cache). The body
  is parsed by ``json.loads``, not validated. On SQLite the writers queue on one ``asyncio.Lock`` per process, as
  the platform's do (api/deps.py). Answer: 201 with a JSON object of the incident's fields.
- ``GET /api/incidents/{id}``: the token ``SELECT``, then the incident with its street and event type (one join),
  its leads and its deadlines (each joined to units), its reports, its level changes, the duplicate suspects (same
  street, type, drill flag and minute of receipt) and merged duplicates: the rows the platform's page reads, in 7
  statements instead of its ~20. Answer: the JSON object.

- ``GET /api/incidents`` (the duty board's JSON: no filter, page 1 of ``PER_PAGE`` = 200): the token ``SELECT``, then
  the open real incidents (not drills, not ended) newest received first — the page with its street and event type
  and the total in one statement (a ``WITH page`` of the ids, joined to units and event types, the count as a scalar
  subquery) — then the page's leads with their units and its deadlines with their responsible units, one statement
  each: 4 statements where the platform issues 12 (count, page ids, the incidents, their streets, event types,
  leads, deadlines, the event types' default leads and three loads of units). The answer is the platform's list of
  incident objects (deadline status from met/closed/now, next deadline, labels), built with plain dicts, with its
  ``X-Total-Count`` / ``X-Page`` / ``X-Per-Page`` / ``Link`` headers.
- ``GET /hello``: ``async def`` returning a dict, the hello-world floor of FastAPI + uvicorn here (context).

Every database request does one threadpool hop (the handler is ``async`` and runs the SQL through ``run_in_threadpool``),
admitted by a semaphore of ``core.db.REQUEST_SLOTS`` as the platform's requests are (api/deps.py ``db_slots``), so its
pool never opens a connection beyond its size: PostgreSQL would fork a backend for each.
Its reads, like the platform's, run in autocommit on PostgreSQL (no BEGIN, no ROLLBACK) and in one read transaction
on SQLite.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
from datetime import UTC, datetime, timedelta, timezone

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import bindparam, text
from starlette.concurrency import run_in_threadpool

from dongcheng.audit import rules as audit_rules
from dongcheng.core.db import REQUEST_SLOTS, WRITE, make_engine
from dongcheng.emergency.incidents.enums import DEADLINE_LABELS, SOURCE_LABELS, STATUS_LABELS
from dongcheng.emergency.incidents.schemas import PER_PAGE

INTAKE_BASIS = "东政发〔2022〕3号 §4.1, §2.3.6"  # what the platform's audit entry carries (rules.INTAKE)
PROPOSAL_REASON = "事件等级尚未判明，待处置主责部门核实后提出"
PROPOSAL_BASIS = "东政发〔2022〕3号 §4.1.5"
INITIAL_RECIPIENTS = json.dumps(["区委值班室", "区政府值班室", "区应急办"])

TOKEN_SQL = text(
    "SELECT users.username, units.name FROM api_tokens JOIN users ON users.id = api_tokens.user_id"
    " LEFT JOIN units ON units.id = users.unit_id WHERE api_tokens.token_hash = :h"
    " AND api_tokens.revoked_at IS NULL AND users.is_active")
INSERT_INCIDENT = text(
    "INSERT INTO incidents (title, description, event_type_id, category, street_unit_id, address, occurred_at,"
    " received_at, source, grade, graded_at, grade_at_receipt, follow_up_from, follow_up_until, dead, injured,"
    " missing, trapped, foreign_related, sensitive, special_period, situation_only, needs_other_districts, is_drill,"
    " status, proposed_level, proposed_level_reason, proposed_level_basis, response_level, handed_over_at, ended_at,"
    " closed_at, merged_into_id, created_by, created_at, version) VALUES (:title, :description, :event_type_id,"
    " :category, :street, :address, :occurred_at, :received_at, :source, NULL, NULL, NULL, NULL, NULL, :dead,"
    " :injured, :missing, :trapped, :foreign_related, :sensitive, :f, :f, :f, :f, 'open', NULL, :reason, :basis,"
    " NULL, NULL, NULL, NULL, NULL, :by, :now, 1) RETURNING id")
INSERT_DEADLINE = text(
    "INSERT INTO deadlines (incident_id, kind, seq, due_at, basis, recipients, notify, responsible_unit_id, status,"
    " met_at, closed_at, report_id, is_drill) VALUES (:id, 'initial', 1, :due, :basis, :recipients, '[]', :unit,"
    " 'pending', NULL, NULL, NULL, :f)")
INSERT_LEAD = text("INSERT INTO incident_leads (incident_id, unit_id, position, basis, designated_by, reason)"
                   " VALUES (:id, :unit, :position, :basis, NULL, '')")
DELETE_SEARCH = text("DELETE FROM search_entries WHERE scope = 'incident' AND group_key = :ref")
INSERT_SEARCH = text("INSERT INTO search_entries (scope, ref, group_key, title, body, sort_key)"
                     " VALUES ('incident', :ref, :ref, :title, :body, :id)")
INSERT_AUDIT = text(
    'INSERT INTO audit_entries (at, actor, post, unit, action, target_type, target_id, basis, "before", "after",'
    " note, recorded_at, leaf_hash) VALUES (:at, :actor, '', :unit, 'incident.create', 'incident', :ref, :basis,"
    " NULL, :after, '', :at, :leaf)")
INSERT_LEVEL = text(
    'INSERT INTO incident_level_changes (incident_id, at, what, from_value, to_value, proposed, reason, basis, "by")'
    " VALUES (:id, :at, 'proposal', NULL, NULL, NULL, :reason, :basis, 'system')")

READ_INCIDENT = text(
    "SELECT i.*, s.name AS street_name, s.kind AS street_kind, e.name AS event_type_name FROM incidents i"
    " JOIN units s ON s.id = i.street_unit_id LEFT JOIN event_types e ON e.id = i.event_type_id WHERE i.id = :id")
READ_LEADS = text("SELECT u.name, l.basis, l.designated_by, l.reason FROM incident_leads l JOIN units u"
                  " ON u.id = l.unit_id WHERE l.incident_id = :id ORDER BY l.position")
READ_DEADLINES = text("SELECT d.*, u.name AS unit_name FROM deadlines d LEFT JOIN units u"
                      " ON u.id = d.responsible_unit_id WHERE d.incident_id = :id ORDER BY d.due_at, d.id")
READ_REPORTS = text("SELECT id, kind, filed_at, filed_by FROM reports WHERE incident_id = :id ORDER BY filed_at, id")
READ_LEVELS = text("SELECT at, what, from_value, to_value, proposed, reason, basis, \"by\" FROM incident_level_changes"
                   " WHERE incident_id = :id ORDER BY at, id")
READ_SUSPECTS = text(
    "SELECT id FROM incidents WHERE street_unit_id = :street AND event_type_id = :et AND is_drill = :drill"
    " AND received_at >= :lo AND received_at < :hi AND id <> :id AND merged_into_id IS NULL ORDER BY received_at, id")
READ_MERGED = text("SELECT id FROM incidents WHERE merged_into_id = :id ORDER BY id")

# The board (GET /api/incidents without filters): archive.search with statuses "active", drill false, page 1.
BOARD_PAGE = text(
    "WITH page AS (SELECT id FROM incidents WHERE is_drill = :f AND ended_at IS NULL"
    " ORDER BY received_at DESC, id DESC LIMIT :n)"
    " SELECT i.*, s.name AS street_name, s.kind AS street_kind, e.name AS event_type_name,"
    " (SELECT count(*) FROM incidents WHERE is_drill = :f AND ended_at IS NULL) AS total"
    " FROM page JOIN incidents i ON i.id = page.id JOIN units s ON s.id = i.street_unit_id"
    " LEFT JOIN event_types e ON e.id = i.event_type_id ORDER BY i.received_at DESC, i.id DESC")
# The page's leads and deadlines: ``IN (?, ?, …)`` on SQLite; one array parameter on PostgreSQL (200 placeholders
# would cost psycopg a parse of the query text at every execution, as it caches only short queries).
_LEADS = ("SELECT l.incident_id, u.name, l.basis, l.designated_by, l.reason FROM incident_leads l JOIN units u"
          " ON u.id = l.unit_id WHERE l.incident_id {ids} ORDER BY l.incident_id, l.position")
_DEADLINES = ("SELECT d.*, u.name AS unit_name FROM deadlines d LEFT JOIN units u ON u.id = d.responsible_unit_id"
              " WHERE d.incident_id {ids} ORDER BY d.due_at, d.id")
BOARD_CHILDREN = {
    "sqlite": tuple(text(q.format(ids="IN :ids")).bindparams(bindparam("ids", expanding=True))
                    for q in (_LEADS, _DEADLINES)),
    "postgresql": tuple(text(q.format(ids="= ANY(:ids)")) for q in (_LEADS, _DEADLINES)),
}
BEIJING = timezone(timedelta(hours=8))


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back text
        value = datetime.fromisoformat(value)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _aware(value) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite hands back naive text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _local(value: datetime | None) -> str | None:
    return value.astimezone(BEIJING).isoformat() if value is not None else None


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _board_deadline(r, now: datetime) -> tuple[dict, datetime]:
    """A deadline row as the board shows it (views.deadline_dict; the status from met/closed/now, without the
    follow-up supersession rule), and its due time."""
    due, met, closed = _aware(r["due_at"]), _aware(r["met_at"]), _aware(r["closed_at"])
    if met is not None and met <= now:
        status = "met" if met <= due else "late"
    elif closed is not None and closed <= now:
        status = r["status"] if r["status"] in ("cancelled", "missed") else "missed"
    else:
        status = "pending"
    return {"id": r["id"], "incident_id": r["incident_id"], "kind": r["kind"],
            "label": DEADLINE_LABELS.get(r["kind"], r["kind"]), "seq": r["seq"], "due_at": _local(due),
            "basis": r["basis"], "status": status, "overdue": status == "pending" and due < now,
            "met_at": _local(met), "recipients": _json(r["recipients"]), "notify": _json(r["notify"]),
            "responsible_unit": r["unit_name"], "report_id": r["report_id"]}, due


def _board_incident(row, leads: list[dict], deadlines: list, now: datetime) -> dict:
    """An incident of the board as views.incident_dict shapes it."""
    pending = [(due, d) for d, due in deadlines if d["status"] == "pending"]
    nxt = min(pending, key=lambda p: p[0])[1] if pending else None
    t = {k: _local(_aware(row[k])) for k in ("occurred_at", "received_at", "graded_at", "handed_over_at", "ended_at",
                                             "closed_at")}
    return {
        "id": row["id"], "title": row["title"], "description": row["description"],
        "event_type": row["event_type_name"], "category": row["category"], "street": row["street_name"],
        "key_area": row["street_kind"] == "key_area", "address": row["address"], "occurred_at": t["occurred_at"],
        "received_at": t["received_at"], "source": row["source"],
        "source_label": SOURCE_LABELS.get(row["source"], row["source"]), "grade": row["grade"],
        "graded_at": t["graded_at"],
        "casualties": {"dead": row["dead"], "injured": row["injured"], "missing": row["missing"],
                       "trapped": row["trapped"]},
        "foreign_related": bool(row["foreign_related"]), "sensitive": bool(row["sensitive"]),
        "special_period": bool(row["special_period"]), "situation_only": bool(row["situation_only"]),
        "drill": bool(row["is_drill"]), "status": row["status"], "status_label": STATUS_LABELS.get(row["status"]),
        "lead_departments": [lead["unit"] for lead in leads], "leads": leads, "lead_unassigned": not leads,
        "proposed_response_level": row["proposed_level"],
        "proposed_response_level_reason": row["proposed_level_reason"], "basis": row["proposed_level_basis"],
        "proposed_response_level_basis": row["proposed_level_basis"], "response_level": row["response_level"],
        "handed_over_at": t["handed_over_at"], "ended_at": t["ended_at"], "closed_at": t["closed_at"],
        "merged_into": row["merged_into_id"],
        "deadlines": [d for d, _due in deadlines if d["status"] != "cancelled"], "next_deadline": nxt,
    }


def create_app() -> FastAPI:
    engine = make_engine(os.environ["BENCH_BARE_DATABASE_URL"])
    sqlite = engine.dialect.name == "sqlite"
    writer = engine.execution_options(**WRITE)
    # reads as the platform's (main.py read_bind): PostgreSQL in autocommit, no BEGIN / ROLLBACK; SQLite one transaction
    reader = engine.execution_options(isolation_level="AUTOCOMMIT") if not sqlite else engine
    with engine.connect() as conn:  # the reference cache: streets, event types and their leads
        streets = {name: uid for uid, name in conn.execute(
            text("SELECT id, name FROM units WHERE kind IN ('street', 'key_area')"))}
        types = {name: {"id": tid, "category": cat, "clause": clause, "leads": []}
                 for tid, name, cat, clause in conn.execute(text("SELECT id, name, category, clause FROM event_types"))}
        by_id = {t["id"]: t for t in types.values()}
        for tid, uid, name in conn.execute(text(
                "SELECT l.event_type_id, l.unit_id, u.name FROM event_type_leads l JOIN units u ON u.id = l.unit_id"
                " ORDER BY l.position")):
            by_id[tid]["leads"].append((uid, name))
    board_leads, board_deadlines = BOARD_CHILDREN[engine.dialect.name]
    app = FastAPI()
    write_lock = asyncio.Lock() if sqlite else None
    slots = asyncio.Semaphore(REQUEST_SLOTS)  # as the platform's db_slots (api/deps.py): never beyond the pool's size

    async def hop(fn, *args):
        async with slots:
            return await run_in_threadpool(fn, *args)

    def stamp(value: datetime) -> datetime:  # as core.db.UTCDateTime stores it
        return value.replace(tzinfo=None) if sqlite else value

    def caller(conn, request: Request) -> tuple[str, str] | None:
        auth = request.headers.get("authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        return conn.execute(TOKEN_SQL, {"h": hashlib.sha256(token.encode()).hexdigest()}).first()

    def write(request: Request, body: dict) -> dict | None:
        with writer.begin() as conn:
            who = caller(conn, request)
            if who is None:
                return None
            username, unit = who
            et, street = types[body["event_type"]], streets[body["street"]]
            now = datetime.now(UTC)
            received, occurred = _utc(body["received_at"]), _utc(body["occurred_at"])
            c = body["casualties"]
            title, address = body["title"].strip(), body["address"].strip()
            iid = conn.execute(INSERT_INCIDENT, {
                "title": title, "description": "", "event_type_id": et["id"], "category": et["category"],
                "street": street, "address": address, "occurred_at": stamp(occurred), "received_at": stamp(received),
                "source": body["source"], "dead": c["dead"], "injured": c["injured"], "missing": c["missing"],
                "trapped": c["trapped"], "foreign_related": bool(body["foreign_related"]),
                "sensitive": bool(body["sensitive"]), "f": False, "reason": PROPOSAL_REASON,
                "basis": PROPOSAL_BASIS, "by": username, "now": stamp(now)}).scalar_one()
            lead_unit = et["leads"][0][0] if et["leads"] else None
            conn.execute(INSERT_DEADLINE, {"id": iid, "due": stamp(received + timedelta(minutes=10)), "basis": PROPOSAL_BASIS,
                                           "recipients": INITIAL_RECIPIENTS, "unit": lead_unit, "f": False})
            for position, (unit_id, _name) in enumerate(et["leads"], 1):
                conn.execute(INSERT_LEAD, {"id": iid, "unit": unit_id, "position": position, "basis": et["clause"]})
            ref = str(iid)
            conn.execute(DELETE_SEARCH, {"ref": ref})
            conn.execute(INSERT_SEARCH, {"ref": ref, "title": title, "body": f"{address}\n", "id": iid})
            lead_names = [name for _uid, name in et["leads"]]
            after = {"ended_at": None, "grade": None, "leads": lead_names, "response_level": None, "status": "open"}
            leaf = audit_rules.leaf_hash(audit_rules.leaf_payload(
                at=now, recorded_at=now, actor=username, post="", unit=unit or "", action="incident.create",
                target_type="incident", target_id=ref, basis=INTAKE_BASIS, before=None, after=after, note=""))
            conn.execute(INSERT_AUDIT, {"at": stamp(now), "actor": username, "unit": unit or "", "ref": ref,
                                        "basis": INTAKE_BASIS, "after": json.dumps(after), "leaf": leaf})
            conn.execute(INSERT_LEVEL, {"id": iid, "at": stamp(received), "reason": PROPOSAL_REASON,
                                        "basis": PROPOSAL_BASIS})
        return {"id": iid, "title": title, "event_type": body["event_type"], "category": et["category"],
                "street": body["street"], "address": address, "occurred_at": occurred.isoformat(),
                "received_at": received.isoformat(), "source": body["source"], "casualties": c, "status": "open",
                "leads": lead_names, "proposed_response_level_reason": PROPOSAL_REASON, "basis": PROPOSAL_BASIS}

    def read(request: Request, iid: int) -> dict | int:
        with reader.connect() as conn:
            if caller(conn, request) is None:
                return 401
            row = conn.execute(READ_INCIDENT, {"id": iid}).mappings().first()
            if row is None:
                return 404
            received = row["received_at"]
            if isinstance(received, str):
                received = datetime.fromisoformat(received)
            minute = received.replace(second=0, microsecond=0)
            out = {k: _iso(v) if isinstance(v, datetime) or k.endswith("_at") else v for k, v in row.items()}
            out["leads"] = [dict(r) for r in conn.execute(READ_LEADS, {"id": iid}).mappings()]
            out["deadlines"] = [{k: _iso(v) if k.endswith("_at") else v for k, v in r.items()}
                                for r in conn.execute(READ_DEADLINES, {"id": iid}).mappings()]
            out["reports"] = [{k: _iso(v) if k.endswith("_at") else v for k, v in r.items()}
                              for r in conn.execute(READ_REPORTS, {"id": iid}).mappings()]
            out["level_history"] = [{k: _iso(v) if k == "at" else v for k, v in r.items()}
                                    for r in conn.execute(READ_LEVELS, {"id": iid}).mappings()]
            out["duplicate_suspects"] = list(conn.execute(READ_SUSPECTS, {
                "street": row["street_unit_id"], "et": row["event_type_id"], "drill": row["is_drill"],
                "lo": minute, "hi": minute + timedelta(minutes=1), "id": iid}).scalars())
            out["merged_duplicates"] = list(conn.execute(READ_MERGED, {"id": iid}).scalars())
            conn.rollback()
        return out

    def board(request: Request) -> tuple[list[dict], int] | int:
        now = datetime.now(UTC)
        with engine.connect() as conn:
            if caller(conn, request) is None:
                return 401
            rows = conn.execute(BOARD_PAGE, {"f": False, "n": PER_PAGE}).mappings().all()
            ids = [r["id"] for r in rows]
            leads: dict[int, list[dict]] = {i: [] for i in ids}
            deadlines: dict[int, list] = {i: [] for i in ids}
            if ids:
                for r in conn.execute(board_leads, {"ids": ids}).mappings():
                    leads[r["incident_id"]].append({"unit": r["name"], "basis": r["basis"],
                                                    "designated_by": r["designated_by"], "reason": r["reason"]})
                for r in conn.execute(board_deadlines, {"ids": ids}).mappings():
                    deadlines[r["incident_id"]].append(_board_deadline(r, now))
            conn.rollback()
        return [_board_incident(r, leads[r["id"]], deadlines[r["id"]], now) for r in rows], \
            (rows[0]["total"] if rows else 0)

    @app.get("/api/incidents")
    async def incidents(request: Request) -> Response:
        out = await hop(board, request)
        if isinstance(out, int):
            return JSONResponse({"detail": "no"}, status_code=out)
        page, total = out
        headers = {"X-Total-Count": str(total), "X-Page": "1", "X-Per-Page": str(PER_PAGE)}
        if total > PER_PAGE:
            headers["Link"] = f'<{request.url.include_query_params(page=2)}>; rel="next"'
        return JSONResponse(page, headers=headers)

    @app.post("/api/incidents")
    async def intake(request: Request) -> Response:
        body = json.loads(await request.body())
        if write_lock is not None:
            async with write_lock:
                out = await hop(write, request, body)
        else:
            out = await hop(write, request, body)
        if out is None:
            return JSONResponse({"detail": "unauthorised"}, status_code=401)
        return JSONResponse(out, status_code=201)

    @app.get("/api/incidents/{iid}")
    async def incident(iid: int, request: Request) -> Response:
        out = await hop(read, request, iid)
        if isinstance(out, int):
            return JSONResponse({"detail": "no"}, status_code=out)
        return JSONResponse(out)

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"ok": True}

    @app.get("/hello")
    async def hello() -> dict:  # the hello-world floor of this stack: no database, no threadpool
        return {"hello": "world"}

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    os.environ["BENCH_BARE_DATABASE_URL"] = args.database_url
    # the same call as `dongcheng serve` (cli/main.py)
    uvicorn.run("bench.bare_app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level="info", proxy_headers=False)


if __name__ == "__main__":
    main()
