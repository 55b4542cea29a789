"""Who may take each action, written from SPEC §1 (the roles) and the clauses the README's "who may act" lines cite —
NOT read from ``dongcheng.auth.permissions``. ``tests/test_permission_matrix.py`` holds ``PERMISSIONS`` to this table
row by row (a new action with no row here fails, so does a row whose roles or scopes differ) and drives every
mutating route as every role against it.

Each row: action → (the roles the route admits, each with its scope; why). A role missing from a row is refused
(403). Scopes, as ``auth/permissions.py`` names them: ``any``; ``own_unit`` (the caller's own unit or a unit under
it); ``post`` (the caller's posts in the directory that day decide, in the domain's rule); ``incident`` / ``warning``
(the route admits the role, the domain's rule decides per incident or warning: lead department, street, drafting
unit). SPEC §1:

  | duty officer (值班员) | 区应急办 / 区应急指挥中心 staff | log incidents, file reports, run the board |
  | department user | a 区 department / 专项指挥部办公室 / 街道分指挥部 | act for their own unit only |
  | leader | holds a post in the directory | approve what their post allows |
  | clerk | 区人力社保局 / 劳动服务管理中心 / 街道便民服务中心 | incubator and commissioner workflows |
  | public | anyone, no login | read published warnings, the gazette, the heritage list |
  | admin | platform administrator | users, reference data |
"""
from __future__ import annotations

from dataclasses import dataclass

from dongcheng.auth.permissions import Role

DUTY, DEPARTMENT, LEADER, CLERK, ADMIN = Role.DUTY_OFFICER, Role.DEPARTMENT, Role.LEADER, Role.CLERK, Role.ADMIN
PLAN = "东政发〔2022〕3号"


@dataclass(frozen=True)
class Expect:
    roles: dict[Role, str]  # role → scope
    why: str


EXPECTED: dict[str, Expect] = {
    # The platform administrator: users and reference data (SPEC §1 admin), nobody else.
    "users.manage": Expect({ADMIN: "any"}, "SPEC §1 admin: users"),
    "reference.load": Expect({ADMIN: "any"}, "SPEC §1 admin: reference data (data/ files)"),
    "calendar.load": Expect({ADMIN: "any"}, "SPEC §3: an admin loads the State Council's holiday schedule for a year"),
    "directory.record_appointment": Expect(
        {ADMIN: "any"}, "SPEC §1 admin: reference data; SPEC §2.1 the directory follows the 任免 notices"),
    "gazette.import": Expect({ADMIN: "any"}, "SPEC §2.7 + §1 admin: an issue of the gazette is reference data"),
    # SPEC is silent on the audit trail; "build what a district duty officer would expect": those who run the board
    # (duty officers), those who approve (leaders) and the administrator read it; a department or a clerk does not
    # read every unit's actions.
    "audit.read": Expect({ADMIN: "any", DUTY: "any", LEADER: "any"},
                         "SPEC §1 (silent: duty officers run the board, leaders approve, admin runs the platform)"),
    # Incidents (§4): who may act is the lead department, the 区应急办 (duty officers) and district leaders; a street
    # on its own 三级 situation (README "who may act", rules.may_act). Departments pass the route; the rule decides.
    "incidents.create": Expect({DUTY: "any", DEPARTMENT: "incident", LEADER: "any"},
                               f"SPEC §1 duty: log incidents; {PLAN} §4.1.5 the lead department reports, §4.3.2 a street"),
    "incidents.act": Expect({DUTY: "any", DEPARTMENT: "incident", LEADER: "any"},
                            f"SPEC §1 duty: file reports, run the board; {PLAN} §4.1.4–§4.1.5, §4.3, §4.8 (lead department, "
                            "区应急委 leaders)"),
    # Reading incidents: every signed-in government role (the board is internal); the public reads only released
    # statements (§4.7).
    "incidents.read": Expect({DUTY: "any", DEPARTMENT: "any", LEADER: "any", ADMIN: "any", CLERK: "any"},
                             f"SPEC §1: internal to district staff; {PLAN} §4.7 the public sees only released statements"),
    "accountability.read": Expect({DUTY: "any", LEADER: "any", DEPARTMENT: "own_unit"},
                                  f"{PLAN} §5.5.2 by unit; SPEC §1 a department for its own unit only"),
    # Information release (§4.7.1): drafted by those who act on the incident; released by the lead department, the
    # 区委宣传部 or the 区应急办 — cause, casualties, accountability only with a leader's approval by post (⑤).
    "statements.draft": Expect({DUTY: "any", DEPARTMENT: "incident", LEADER: "any"}, f"{PLAN} §4.7.1"),
    "statements.release": Expect({DUTY: "any", DEPARTMENT: "incident", LEADER: "post"},
                                 f"{PLAN} §4.7.1 ②⑤; SPEC §1 leader: approve what their post allows"),
    # Warnings (§3.2): a department or special-HQ office drafts for its own unit (the 区应急办's duty officers are a
    # unit too); approval by post (§3.2.3(2)); public warnings only through the 区预警信息发布中心 run by the 区应急办
    # (§3.2.3(3)); 谁发布、谁解除 (§3.2.7). Leaders approve and never draft, publish or lift.
    "warnings.draft": Expect({DUTY: "own_unit", DEPARTMENT: "own_unit"}, f"{PLAN} §3.2.3(2), §3.2.4; SPEC §1 own unit"),
    "warnings.edit": Expect({DUTY: "own_unit", DEPARTMENT: "own_unit"}, f"{PLAN} §3.2.3(2): the drafting unit submits"),
    "warnings.approve": Expect({DUTY: "warning", DEPARTMENT: "warning", LEADER: "post"},
                               f"{PLAN} §3.2.3(2): 蓝/黄 the drafting unit; 橙/红 through the 区应急办 to 区长 / 分管区领导"),
    "warnings.publish": Expect({DUTY: "warning", DEPARTMENT: "own_unit"},
                               f"{PLAN} §3.2.3(3): public via the 区预警信息发布中心, internal by the drafting unit"),
    "warnings.lift": Expect({DUTY: "warning", DEPARTMENT: "own_unit"}, f"{PLAN} §3.2.7 谁发布、谁解除"),
    "warnings.tick": Expect({DUTY: "own_unit", DEPARTMENT: "own_unit"},
                            f"{PLAN} §3.2.5: each unit concerned ticks its own checklist"),
    "warnings.subscribers": Expect({ADMIN: "any", DUTY: "any", DEPARTMENT: "own_unit"},
                                   f"{PLAN} §3.2.8; SPEC §1 a street keeps its own residents (personal data)"),
    # Preparedness (§6): registries and stock kept by their owner unit or the 区应急办 (§6.2.2, §6.4.1); dispatch
    # requested by the incident's lead department (or the 区应急办 for the city / another district), approved by the
    # 主管区领导 by post — never a department (§6.4.3); shelters opened by the 区政府 (§6.7); teams called by the
    # units handling the incident (§6.1.2). Routes admit the role; the module's rules decide by unit and post.
    "preparedness.read": Expect({DUTY: "any", DEPARTMENT: "any", LEADER: "any"}, f"{PLAN} §6.2.2: internal registries"),
    "preparedness.registry": Expect({DUTY: "any", DEPARTMENT: "own_unit"}, f"{PLAN} §6.2.2 及时维护更新; §6.1.2"),
    "preparedness.stock": Expect({DUTY: "any", DEPARTMENT: "own_unit"}, f"{PLAN} §6.4.1 集中管理"),
    "preparedness.dispatch_request": Expect({DUTY: "any", DEPARTMENT: "incident"},
                                            f"{PLAN} §6.4.3 主责部门提出需求; 外部请求由区应急委统一协调"),
    "preparedness.dispatch_approve": Expect({LEADER: "post"}, f"{PLAN} §6.4.3 经主管区领导批准; §2.1.2"),
    "preparedness.dispatch_handle": Expect({DUTY: "any", DEPARTMENT: "own_unit"}, f"{PLAN} §6.4.1 统一调拨"),
    "preparedness.shelter_open": Expect({DUTY: "any", LEADER: "post"}, f"{PLAN} §6.7 区政府启用"),
    "preparedness.callup": Expect({DUTY: "any", DEPARTMENT: "incident", LEADER: "any"}, f"{PLAN} §6.1.2 有权调用"),
    "preparedness.requisition": Expect({DUTY: "any", LEADER: "post"},
                                       f"{PLAN} §6.4.5 以政府名义征用; 突发事件应对法 第十二条 返还、补偿"),
    # Incubators and commissioners: clerks only (SPEC §1 clerk); which clerk is decided by unit in the module's rules.
    "incubators.manage": Expect({CLERK: "own_unit"}, "SPEC §1 clerk; 东人社发〔2021〕101号 第五条 (区人力社保局)"),
    "incubators.read": Expect({CLERK: "any"}, "SPEC §1 clerk: incubator workflows"),
    "commissioners.manage": Expect({CLERK: "own_unit"},
                                   "SPEC §1 clerk; 东人社发〔2021〕111号 §二, 112号 第二条、第五条 (a street: its own)"),
    "commissioners.read": Expect({CLERK: "own_unit"}, "SPEC §1 clerk: commissioner workflows, a street its own"),
    # Funds (§6.8): the units handling the incident request; the 区政府 approves — a district leader holding a post
    # that day; the 区财政部门 (区财政局) completes within 1 working day (§6.8.3). Reading: who runs and approves, a
    # department its own unit's (the 区财政局 every one, in the module's rule).
    "funds.request": Expect({DUTY: "any", DEPARTMENT: "incident"}, f"{PLAN} §6.8.2; §2.3.6, §2.2.1 the handling units"),
    "funds.approve": Expect({LEADER: "post"}, f"{PLAN} §6.8.2, §6.8.3 区政府批准; SPEC §1 leader: by post"),
    "funds.complete": Expect({DEPARTMENT: "own_unit"}, f"{PLAN} §6.8.2 区财政部门, §6.8.3"),
    "funds.read": Expect({DUTY: "any", LEADER: "any", DEPARTMENT: "own_unit", ADMIN: "any"},
                         f"{PLAN} §6.8; SPEC §1 a department for its own unit"),
    # Plans and drills (§7): the 区应急办 every plan and drill (§7.1.1, §7.2.1), a drafting unit / organiser its own
    # (§7.1.5, §7.2.2); leaders and the administrator read.
    "plans.manage": Expect({DUTY: "any", DEPARTMENT: "own_unit"}, f"{PLAN} §7.1.1, §7.1.4, §7.1.5"),
    "drills.manage": Expect({DUTY: "any", DEPARTMENT: "own_unit"}, f"{PLAN} §7.2.1, §7.2.2, §7.2.3"),
    "plans.read": Expect({DUTY: "any", DEPARTMENT: "any", LEADER: "any", ADMIN: "any"},
                         f"{PLAN} §7 (internal to district staff; SPEC §1)"),
    # Supervision tasks (东政办发〔2021〕17号): each unit reports on its own tasks — the lead (第一个部门为牵头责任部门,
    # 三（一）1) its progress, a co-unit its part (the module's rules decide which task is whose); the overview for
    # district leaders and the 区卫生健康委 (三（一）4), also decided by the rule.
    "supervision.tasks.read": Expect({DEPARTMENT: "any", LEADER: "any"},
                                     "东政办发〔2021〕17号 三（一）1, 三（一）4; SPEC §1 department: its own unit"),
    "supervision.tasks.report": Expect({DEPARTMENT: "own_unit"}, "东政办发〔2021〕17号 三（一）1: the lead reports"),
    "supervision.tasks.contribute": Expect({DEPARTMENT: "own_unit"}, "东政办发〔2021〕17号: each co-unit its own part"),
    # The first-aid network (三（二）4): read by district staff; recorded by the 区卫生健康委, a street its own station
    # (各街道履行属地职责，提供急救业务用房).
    "supervision.network.read": Expect({DEPARTMENT: "any", LEADER: "any", DUTY: "any", ADMIN: "any"},
                                       "东政办发〔2021〕17号 三（二）4; SPEC §1 (internal to district staff)"),
    "supervision.network.record": Expect({DEPARTMENT: "own_unit"},
                                         "东政办发〔2021〕17号 三（一）4 区卫生健康委; 三（二）4 the street its own"),
    # Supervision (东政办发〔2021〕17号): the 区卫生健康委 leads (三（一）4) — registry, credit and inspections by a department
    # user, the rule naming the unit; the credit policy is reference data (admin); 12345 tickets taken in by the
    # 区城指中心 / 区卫生健康委 and answered by the assigned unit (三（一）5); leaders read the rates.
    "supervision.credit.manage": Expect({DEPARTMENT: "own_unit"}, "东政办发〔2021〕17号 三（一）4, 四（二）: 区卫生健康委"),
    "supervision.credit.policy": Expect({ADMIN: "any"}, "SPEC §1 admin: reference data (the points / repair policy)"),
    "supervision.inspections.manage": Expect({DEPARTMENT: "own_unit"}, "东政办发〔2021〕17号 四（一）: 区卫生健康委"),
    "supervision.complaints.intake": Expect({DEPARTMENT: "own_unit"}, "东政办发〔2021〕17号 三（一）5: 区城指中心 leads"),
    "supervision.complaints.respond": Expect({DEPARTMENT: "own_unit"}, "三（一）5 接诉即办: the assigned unit answers"),
    "supervision.complaints.read": Expect({DEPARTMENT: "own_unit", LEADER: "any"},
                                          "三（一）5: a unit its own tickets; leaders the district's rates"),
}


def allowed(action: str, role: Role) -> bool:
    return role in EXPECTED[action].roles
