"""JSON shapes of the network (no session)."""
from __future__ import annotations

from dongcheng.supervision.network import rules


def station_dict(v) -> dict:
    s = v.station
    return {"key": s.key, "kind": s.kind, "printed": s.printed, "street": s.street, "candidates": list(s.candidates),
            "initial": s.initial, "state": v.state, "state_label": rules.STATES[v.state], "target": s.target,
            "target_label": rules.TARGET_LABELS[s.target], "milestone": s.milestone, "due": v.milestone.due.isoformat(),
            "reached_on": v.reached_on.isoformat() if v.reached_on else None, "outcome": v.outcome,
            "outcome_label": rules.OUTCOME_LABELS[v.outcome], "note": s.note, "basis": str(rules.BASIS),
            "records": [{"state": r.state, "state_label": rules.STATES[r.state], "on": r.day.isoformat(),
                         "note": r.note, "unit": r.unit, "recorded_by": r.recorded_by} for r in v.records]}


def milestone_dict(m) -> dict:
    return {"key": m.milestone.key, "due": m.milestone.due.isoformat(), "printed": m.milestone.printed,
            "promised_stations": m.milestone.promised_stations, "met": m.count("met"), "missed": m.count("missed"),
            "pending": m.count("pending"), "stations": [s.station.key for s in m.stations],
            "centre": station_dict(m.centre) if m.centre else None, "basis": str(rules.BASIS)}


def network_dict(view) -> dict:
    n = view.network
    return {
        "document": n.document, "basis": str(rules.BASIS), "plan": {"centres": n.centres, "stations": n.stations_planned,
                                                                   "printed": n.printed},
        "today": view.today.isoformat(),
        "milestones": [milestone_dict(m) for m in view.milestones],
        "stations": [station_dict(s) for s in view.stations],
        "coverage": {
            "streets": len(view.coverage), "with_station": sum(1 for c in view.coverage if c.planned),
            "without_station": view.without_station, "listed_twice": view.listed_twice,
            "unplaced_stations": [s.station.key for s in view.unplaced], "basis": str(rules.PER_STREET_BASIS),
            "by_street": [{"street": c.street, "stations": list(c.stations), "listed": c.listed,
                           "planned": c.planned} for c in view.coverage],
        },
    }
