"""The task pages: my tasks (a unit's own), the overview (leaders, 区卫生健康委) with the supervising leader of each
lead unit and the overdue periods, a task with its periods and the filing form (CSRF), errors naming the field."""
from __future__ import annotations

import re

from tests.html import unlinked

HTML = {"Accept": "text/html"}


def test_my_tasks_for_a_department(client, login):
    page = client.get("/supervision/tasks", headers={**HTML, **login("sfj")})
    assert page.status_code == 200
    text = unlinked(page.text)
    assert 'id="task-4-1"' in text and "四（一） 推进行政执法三项制度落实" in text and "牵头" in text
    assert 'id="task-3-2-4"' not in text and 'id="to-overview"' not in text
    assert "逾期未报" in text and "到2020年底" in text


def test_a_leader_goes_to_the_overview(client, login):
    sun = login("sun.yang")
    r = client.get("/supervision/tasks", headers={**HTML, **sun}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/supervision/tasks/overview"
    page = client.get("/supervision/tasks/overview", headers={**HTML, **sun})
    assert page.status_code == 200
    text = unlinked(page.text)
    assert text.count('class="card sv-task') == 21
    task = re.search(r'id="task-3-1-5".*?</article>', text, re.S).group(0)
    assert "区城市管理指挥中心" in task and "孙扬（副区长，分管）" in task and "您分管" in task
    assert "刘俊彩（副区长，分管）" in text and "分工未列" in text  # 区委组织部 has no leader in 18号
    assert re.search(r'id="task-3-2-6".*?配合报送 <span class="sv-co">0/8</span>', text, re.S)  # 区城管委（区城管执法局）: two


def test_the_overview_refused_to_another_unit(client, login):
    assert client.get("/supervision/tasks/overview", headers={**HTML, **login("sfj")}).status_code == 403


def test_filing_from_the_task_page(client, login):
    wjw = login("wjw")
    page = client.get("/supervision/tasks/3-2-4", headers={**HTML, **wjw})
    assert page.status_code == 200 and 'id="my-role">牵头<' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "kind": "lead", "period": "2022Q4", "progress": "完成6个站点选址"}
    r = client.post("/supervision/tasks/3-2-4/file", headers={**HTML, **wjw}, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:400]
    page = client.get("/supervision/tasks/3-2-4", headers={**HTML, **wjw}).text
    assert re.search(r'id="p-2022Q4">\s*<h3>2022年第4季度 <span class="tag xz sv-status">逾期后补报', page)
    assert "完成6个站点选址" in page
    again = client.post("/supervision/tasks/3-2-4/file", headers={**HTML, **wjw}, data=form)
    assert again.status_code == 409 and "已报送" in again.text
    assert re.search(r'data-field="form">[^<：]*已报送', again.text)  # the whole form: its words, no field label
    blank = client.post("/supervision/tasks/3-2-4/file", headers={**HTML, **wjw},
                        data={**form, "period": "2023Q1", "progress": " "})
    assert blank.status_code == 422 and re.search(r'data-field="progress">工作进展：\S', blank.text)


def test_a_task_of_another_unit_is_refused(client, login):
    assert client.get("/supervision/tasks/3-2-4", headers={**HTML, **login("sfj")}).status_code == 403
