"""The deadline alarm (web/static/alarm.js) in a real headless Chromium, on a page of countdowns as the board renders
them (no server: the browser's Notification and AudioContext are stood in for, so what would sound is counted)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ALARM_JS = Path(__file__).resolve().parents[3] / "src" / "dongcheng" / "web" / "static" / "alarm.js"

STANDINS = """
window.__beeps = 0; window.__notes = [];
window.Notification = function (title, opts) { window.__notes.push([title, opts.body]); };
window.Notification.permission = "granted";
window.AudioContext = function () {
  this.state = "running"; this.currentTime = 0; this.destination = {};
  this.createOscillator = function () { return { frequency: {}, connect: function () {}, stop: function () {},
                                                 start: function () { window.__beeps++; } }; };
  this.createGain = function () { return { gain: { setValueAtTime: function () {},
                                                   exponentialRampToValueAtTime: function () {} },
                                           connect: function () {} }; };
};
"""


def page(tmp_path: Path, countdowns: list[tuple[int, str, str]]) -> str:
    """An HTML page with the alarm block and countdowns due ``seconds`` from the page's server time."""
    now_ms = int(time.time() * 1000)
    spans = "".join(
        f'<span data-alarm="{label}" data-alarm-title="{title}" class="countdown" '
        f'data-due="{time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now_ms / 1000 + seconds))}+00:00">x</span>'
        for seconds, label, title in countdowns)
    html = f"""<!doctype html><html><head><meta charset="utf-8"><title>值班台 · 东城区政务平台</title>
<script>{STANDINS}</script></head><body>
<div data-server-now="{now_ms}"></div>
<div class="alarm-bar" id="alarm" data-alarm-lead="300"><div id="alarm-banner" role="alert" hidden></div>
<button type="button" id="alarm-enable">开启提醒 / Enable alerts</button><span id="alarm-state"></span></div>
{spans}<script src="{ALARM_JS.as_uri()}"></script></body></html>"""
    path = tmp_path / f"board-{len(list(tmp_path.glob('board-*.html')))}.html"
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


def state(browser) -> dict:
    return browser.execute_script("""var b = document.getElementById('alarm-banner');
      return {title: document.title, banner: b.hidden ? null : b.textContent, beeps: window.__beeps,
              notes: window.__notes, last: document.getElementById('alarm').getAttribute('data-alarm-last')};""")


def test_the_alarm_at_the_lead_time_and_at_the_due_second(browser, tmp_path):
    # 4:50 before the due second: inside the 5-minute lead time — two beeps, the title, a notification
    browser.get(page(tmp_path, [(290, "初报", "燃气泄漏"), (3600, "详报", "供水管线爆裂")]))
    s = state(browser)
    assert s["title"].startswith("⚠ 初报 04:") and s["title"].endswith("— 燃气泄漏 · 值班台 · 东城区政务平台"), s
    assert s["banner"].startswith("⚠ 初报 04:") and s["last"] == "lead|初报|燃气泄漏"
    assert s["beeps"] == 2 and s["notes"][0][0] == "报送时限将到" and "燃气泄漏" in s["notes"][0][1]
    # the board refreshes (or the page reloads): the same alert does not sound again in this tab
    browser.refresh()
    assert state(browser)["beeps"] == 0 and state(browser)["banner"].startswith("⚠ 初报 04:")

    # the due second comes (a clock due 1.5 s from now): three beeps and 报送时限已到
    browser.get(page(tmp_path, [(1.5, "续报第2次", "燃气泄漏")]))
    time.sleep(3.2)
    s = state(browser)
    assert s["last"] == "due|续报第2次|燃气泄漏" and s["title"].startswith("⚠ 续报第2次 已超时 00:0"), s
    assert [n[0] for n in s["notes"]] == ["报送时限将到", "报送时限已到"] and s["beeps"] == 2 + 3
    assert json.dumps(s["notes"], ensure_ascii=False).count("燃气泄漏") == 2


def test_nothing_before_the_lead_time(browser, tmp_path):
    browser.get(page(tmp_path, [(320, "初报", "燃气泄漏")]))
    s = state(browser)
    assert s["title"] == "值班台 · 东城区政务平台" and s["banner"] is None and s["beeps"] == 0 and s["notes"] == []
