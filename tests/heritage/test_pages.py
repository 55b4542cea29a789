"""The public page /heritage (no login, phone first): the batches summary, the 30 items under their categories,
search and category filter, each row citing 东政发〔2022〕2号 with a link to the notice in the gazette."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from dongcheng.heritage.rules import CATEGORIES
from tests.html import clause_links, unlinked

HTML = {"Accept": "text/html"}
NOTICE = "东政发〔2022〕2号"
NOTICE_URL = f"/gazette/documents/{quote(NOTICE, safe='')}"


def page(client, url: str = "/heritage", status: int = 200) -> str:
    r = client.get(url, headers=HTML)
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def rows(html: str) -> list[tuple[str, str, str]]:
    """(序号, 项目名称, 申报单位) of the items shown."""
    return re.findall(r'<td class="c-num">(\d+)</td>\s*<td class="c-name">(.*?)</td>\s*<td class="c-applicant">(.*?)</td>',
                      html)


def test_the_list_without_login(client):
    html = page(client)
    text = unlinked(html)
    assert 'name="viewport"' in html and '<a href="/heritage" class="active">非遗名录</a>' in html
    assert re.search(r'<span class="big">7</span> 批名录', html) and re.search(r'<span class="big">225</span> 个项目', html)
    assert re.search(r'<span class="big">30</span> 项列于本页（第七批）', html)
    assert "<b>第七批</b> 30 项：经2022年1月11日区政府专题会审议通过，2022年2月1日公布" in text
    assert "<b>第一批至第六批</b> 共 195 项：自2007年推出第一个区级名录起" in text
    shown = rows(html)
    assert [int(n) for n, _, _ in shown] == list(range(1, 31))
    assert ("17", "玉石盆景制作技艺", "北京工美集团有限责任公司王府井工美大厦") in shown
    assert ("19", "“炒肝赵”炒肝制作技艺", "崇文门外街道社区服务中心") in shown
    headings = re.findall(r'<h2 id="cat-\d+">(.*?) <span class="count">(\d+)</span></h2>', html)
    assert headings == [(c, str(n)) for c, n in zip(CATEGORIES, [1, 3, 1, 2, 3, 11, 9], strict=True)]


def test_every_row_cites_the_notice_with_a_link(client):
    html = page(client)
    cells = re.findall(r'<td class="c-basis"><span class="basis wrap">(.*?)</span></td>', html)
    assert len(cells) == 30
    for n, cell in enumerate(cells, 1):
        assert unlinked(cell) == f"{NOTICE} 名录第{n}项"
        assert clause_links(cell) == [NOTICE_URL]


def test_search_and_category_filter(client):
    html = page(client, f"/heritage?q={quote('崇文门外')}")
    assert [name for _, name, _ in rows(html)] == ["老汤酱卤制作技艺", "“炒肝赵”炒肝制作技艺", "赵氏正骨疗法"]
    assert "“崇文门外”：找到 3 个项目。" in html and 'value="崇文门外"' in html
    # the chips count what the search found and keep the search
    assert f'<a href="/heritage?q={quote("崇文门外")}&amp;category={quote("传统技艺")}" >传统技艺 2</a>' in html
    assert f'<a href="/heritage?q={quote("崇文门外")}" class="on">全部 3</a>' in html
    assert "传统医药 1</a>" in html and "传统音乐" not in html.split('aria-label="项目类别"')[1].split("</nav>")[0]

    html = page(client, f"/heritage?q={quote('崇文门外')}&category={quote('传统医药')}")
    assert [name for _, name, _ in rows(html)] == ["赵氏正骨疗法"]
    assert "“崇文门外”（传统医药）：找到 1 个项目。" in html
    assert '<input type="hidden" name="category" value="传统医药">' in html

    html = page(client, f"/heritage?category={quote('传统体育游艺与杂技')}")
    assert [name for _, name, _ in rows(html)] == ["宫廷善扑术", "古彩戏法"]


def test_nothing_found(client):
    html = page(client, f"/heritage?q={quote('故宫')}")
    assert rows(html) == [] and "没有符合条件的项目。" in html and "找到 0 个项目" in html


@pytest.mark.parametrize("query", [f"category={quote('民俗')}", "batch=x"])
def test_a_bad_filter_is_a_422_page(client, query):
    html = page(client, f"/heritage?{query}", status=422)
    assert "输入有误" in html


@pytest.mark.browser
def test_reads_on_a_phone(browser, live_server):
    """390 px wide, as a phone: nothing wider than the screen, each item's name, applicant and basis readable."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(390, 844)
    browser.get(f"{live_server}/heritage")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    items = browser.find_elements(By.CSS_SELECTOR, "table.heritage-items tr.item")
    assert len(items) == 30
    seq, name, applicant, basis = items[0].find_elements(By.TAG_NAME, "td")
    assert (seq.text, name.text, applicant.text, basis.text) == (
        "1", "京袭吴门古琴艺术", "北京翰明正元文化发展有限公司", f"{NOTICE} 名录第1项")
    # stacked beside the 序号: name, then applicant, then basis, each within the screen
    assert seq.rect["x"] < name.rect["x"] == applicant.rect["x"] == basis.rect["x"]
    assert name.rect["y"] < applicant.rect["y"] < basis.rect["y"]
    assert all(c.rect["x"] + c.rect["width"] <= 390 for c in (name, applicant, basis))
    search = browser.find_element(By.ID, "q")
    search.send_keys("烤鸭")
    search.submit()
    # wait for the search's own page: the list of 30 goes stale first (reading it then raced the reload)
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(items[0]))
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "table.heritage-items td.c-name")]
    assert names == ["董氏挂炉烤鸭制作技艺"]
