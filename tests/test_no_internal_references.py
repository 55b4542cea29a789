"""No page shows an internal reference — the product spec ("SPEC §2.1"), the style guide, a test or source file —
only the gazette's documents and clauses (issue 14 item 7).

Every page of every module is reached by following links, as each role's demo user and as an anonymous visitor,
from the home page and the nav bar (with the demo data: the exercise incident, the blue warning, the registries);
a few instances of each page route are opened. The test also proves it reached every page route the app has, so a
new page is covered the day it lands (or named below with why it cannot be reached by a link).
"""
from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

from starlette.routing import Match

from dongcheng import modules
from dongcheng.demo import ensure_demo_data
from dongcheng.main import create_app
from tests.routes import api_routes

HTML = {"Accept": "text/html"}
INTERNAL = re.compile(r"SPEC\s*§|\bSPEC\b|STYLE\.md|permission_expectations|\.py\b")
LINK = re.compile(r'href="(/[^"]*)"')
PER_ROUTE = 2  # instances of one route (/directory/units/{id}: the first two units reached)
USERS = [None, "duty", "mayor", "cgw", "clerk.rsj", "admin"]  # anonymous and one user of each role
# Page routes no link leads to here, each with why (a fragment polled by script, a form's answer, a record the demo
# data does not make: those pages' templates are still read by the template scan below).
UNLINKED = {
    "/incidents/board/rows": "the board's rows, polled by board.js",
    "/gazette/search": "a search form's answer",
    "/commissioners/{commissioner_id}": "no commissioner in the demo data",
    "/commissioners/fund-applications/{application_id}": "no fund application in the demo data",
    "/gazette/issues/{issue_id}.pdf": "a PDF, not a page (tests/gazette/test_publish.py reads its text)",
    "/funds/{disbursement_id}": "no disbursement in the demo data",
    "/warnings/{warning_id}/edit": "the demo warning is published, not a draft (tests/emergency/warnings/test_edit_pages.py)",
    "/incubators/{application_id}": "no application in the demo data",
    "/plans/drills/{drill_id}": "no drill record in the demo data",
    "/preparedness/dispatches/{dispatch_id}": "no dispatch in the demo data",
    "/preparedness/registries/{key}/{record_id}": "no registry record in the demo data",
    "/supervision/inspections/plans/{plan_id}": "no inspection plan in the demo data",
    "/supervision/institutions/{institution_id}": "no institution in the demo data",
}


def _page_routes():
    app = create_app()
    return [r for r in api_routes(app.routes)
            if "GET" in r.methods and not r.path.startswith(("/api", "/docs", "/openapi", "/healthz", "/static"))]


ROUTES = _page_routes()


def _route_of(path: str):
    scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    for route in ROUTES:
        if route.matches(scope)[0] == Match.FULL:
            return route.path
    return None


def _strip(html: str) -> str:
    """The page as a reader meets it: text and attributes, without scripts' code and comments."""
    return re.sub(r"<script\b[^>]*>.*?</script>|<!--.*?-->", "", html, flags=re.S)


def crawl(client, headers: dict) -> tuple[dict[str, str], set[str]]:
    """{url: problem} of pages showing an internal reference, and the route paths reached."""
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    queue = deque(["/"] + [link.href_for(None) for link in modules.nav_links()] + [link.href for link in modules.nav_links()])
    found: dict[str, str] = {}
    reached: set[str] = set()
    while queue:
        url = urldefrag(queue.popleft())[0]
        path = urlsplit(url).path
        if url in seen or path.startswith(("/api", "/static", "/docs", "/logout")):
            continue
        seen.add(url)
        route = _route_of(path)
        if route is None or per_route.get(route, 0) >= PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        r = client.get(url, headers={**HTML, **headers}, follow_redirects=False)
        if r.status_code != 200 or not r.headers.get("content-type", "").startswith("text/html"):
            continue
        reached.add(route)
        text = _strip(r.text)
        hit = INTERNAL.search(text)
        if hit:
            found[url] = text[max(0, hit.start() - 80):hit.end() + 40]
        queue.extend(LINK.findall(r.text))
    return found, reached


def test_no_page_of_any_module_shows_an_internal_reference(client, login, db):
    ensure_demo_data(db)  # the running exercise: incidents, a warning (rolled back after the test)
    db.commit()
    problems: dict[str, str] = {}
    reached: set[str] = set()
    for username in USERS:
        found, routes = crawl(client, login(username) if username else {})
        problems.update({f"{username or 'anonymous'} {url}": text for url, text in found.items()})
        reached |= routes
    assert problems == {}, "\n".join(f"{k}: …{v}…" for k, v in problems.items())
    missing = {r.path for r in ROUTES} - reached - set(UNLINKED)
    assert missing == set(), f"pages no link reached (cover them or name them in UNLINKED): {sorted(missing)}"


def test_no_template_of_any_module_writes_an_internal_reference():
    """Every page's fixed text, including the pages no link reached above (Jinja comments are not shown)."""
    hits = []
    for folder in modules.template_dirs():
        for page in folder.rglob("*.html"):
            text = re.sub(r"{#.*?#}", "", page.read_text(encoding="utf-8"), flags=re.S)
            if INTERNAL.search(_strip(text)):
                hits.append(str(page.relative_to(folder)))
    assert hits == []
