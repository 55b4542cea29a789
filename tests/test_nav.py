"""The nav shows only what the caller may open, and everything they may open (issue 14 item 7).

Walked for every demo user (every role has one), an anonymous visitor and a leader who holds no post today: each nav
link of the registry, shown or not, is opened as that caller. A shown link answers 200; a link not shown answers a
refusal (401/403, or the board's redirect to the login page) — so no link leads to a refusal and no page the caller
may open is missing from the bar. Who sees a link is derived from the permission its page checks (NavLink.permission),
never from a list of its own.
"""
from __future__ import annotations

import re

import pytest

from dongcheng import modules
from dongcheng.auth.roles import Role
from dongcheng.web.templating import NAV_LINKS
from tests.routes import api_routes

HTML = {"Accept": "text/html"}
NAV = re.compile(r"<nav>(.*?)</nav>", re.S)
USERS = [u.username for u in modules.demo_users()]
ROLE_OF = {u.username: u.role for u in modules.demo_users()}


def nav_hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', NAV.search(html).group(1))


def check(client, headers: dict, role: str | None) -> list[str]:
    """Open every link as this caller; return the problems found."""
    shown = nav_hrefs(client.get("/", headers={**HTML, **headers}).text)
    problems = []
    for link in NAV_LINKS:
        href = link.href_for(role)
        r = client.get(href, headers={**HTML, **headers}, follow_redirects=False)
        refused = r.status_code in (401, 403) or (r.status_code == 303 and r.headers["location"].startswith("/login"))
        if href in shown and r.status_code != 200:
            problems.append(f"{link.label} {href} is shown but answers {r.status_code}")
        if href not in shown and not refused:
            problems.append(f"{link.label} {href} is not shown but answers {r.status_code}")
    return problems


def test_every_role_has_a_demo_user():
    assert {ROLE_OF[u] for u in USERS} == set(Role)


@pytest.mark.parametrize("username", USERS)
def test_a_demo_user_sees_exactly_the_links_it_may_open(client, login, username):
    assert check(client, login(username), ROLE_OF[username]) == []


def test_an_anonymous_visitor_sees_exactly_the_public_pages(client):
    assert check(client, {}, None) == []
    shown = nav_hrefs(client.get("/", headers=HTML).text)
    assert "/public/warnings" in shown and "/warnings" not in shown  # the public face of the warnings
    assert "/incidents/board" not in shown and "/accountability" not in shown


def test_a_leader_without_a_post_today_is_offered_no_page_that_needs_one(client, login, postless_leader):
    headers = login(postless_leader())
    assert check(client, headers, "leader") == []
    shown = nav_hrefs(client.get("/", headers={**HTML, **headers}).text)
    assert "/incidents/board" not in shown and "/gazette" in shown


def test_who_sees_a_link_comes_from_its_pages_permission():
    for module in modules.MODULES:
        for link in module.nav:
            assert link.roles is None, f"{link.label}: roles are derived from the permission, not declared"
    board = next(link for link in NAV_LINKS if link.href == "/incidents/board")
    assert set(board.roles) == set(modules.permissions()["incidents.read"])


def _page_paths(module) -> set[str]:
    paths = set()
    for ref in module.routers:
        router = modules.load(ref)
        for route in api_routes(router.routes):
            if "GET" in route.methods and not route.path.startswith("/api") and not route.include_in_schema:
                paths.add(route.path)
    return paths


NO_NAV = {"auth": "/login is the header's 登录", "web": "/ is 首页, the bar's first link"}


@pytest.mark.parametrize("module", [m for m in modules.MODULES if m.name not in NO_NAV], ids=lambda m: m.name)
def test_every_module_with_a_page_of_its_own_has_its_link(module):
    main_pages = {p for p in _page_paths(module) if "{" not in p}
    if not main_pages:
        return  # its pages hang off another module's (an incident's command post, checklists, recovery)
    hrefs = {link.href for link in module.nav} | {h for link in module.nav for h in link.role_href.values()}
    assert hrefs & main_pages, f"{module.name}: none of {sorted(main_pages)} is in the nav"
