/* 值班台: live countdowns on every [data-due] element, and — on the board — a refresh of the rows every 10 s
 * without reloading the page. No framework. The server renders the same text first, so the page reads fine
 * without JavaScript. Countdowns use the server's clock (data-server-now), not the desk PC's. */
(function () {
  "use strict";
  var REFRESH_MS = 10000;
  var SOON_S = 180; // last three minutes: amber — platform_default("countdown_amber"): no clause sets a warning time
  var skew = 0; // server time minus browser time, in ms

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // Same text as emergency/incidents/pages.py clock_text: 剩余 mm:ss / 已超时 mm:ss (h:mm:ss past an hour).
  function clockText(ms) {
    var late = ms < 0;
    var s = late ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
    return (late ? "已超时 " : "剩余 ") + (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(x);
  }

  function readServerClock() {
    var el = document.querySelector("[data-server-now]");
    if (el) skew = Number(el.getAttribute("data-server-now")) - Date.now();
  }

  function tick() {
    var now = Date.now() + skew;
    var items = document.querySelectorAll("[data-due]");
    for (var k = 0; k < items.length; k++) {
      var el = items[k];
      var ms = Date.parse(el.getAttribute("data-due")) - now;
      if (isNaN(ms)) continue;
      el.textContent = clockText(ms);
      el.classList.toggle("late", ms < 0);
      el.classList.toggle("soon", ms >= 0 && ms <= SOON_S * 1000);
      var row = el.closest("[data-urgency]");
      if (row) row.classList.toggle("overdue", ms < 0);
    }
  }

  function setError(text) {
    var el = document.getElementById("refresh-error");
    if (el) el.textContent = text;
  }

  var busy = false;
  function refresh() {
    var board = document.getElementById("board");
    if (!board || busy) return;
    busy = true;
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 8000) : null;
    fetch(board.getAttribute("data-rows-url"), {
      credentials: "same-origin", headers: { "Accept": "text/html" }, cache: "no-store",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.status === 401) throw new Error("登录已过期，请重新登录");
      if (!response.ok) throw new Error("服务器返回 " + response.status);
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelectorAll("[data-swap]");
      for (var k = 0; k < fresh.length; k++) {
        var old = document.getElementById(fresh[k].id);
        if (old) old.replaceWith(fresh[k]);
      }
      setError("");
      readServerClock();
      tick();
    }).catch(function (err) {
      var at = new Date(Date.now() + skew).toLocaleTimeString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" });
      setError("刷新失败（" + at + "）：" + (err.name === "AbortError" ? "超时" : err.message) + "，将自动重试");
    }).then(function () {
      if (timer) clearTimeout(timer);
      busy = false;
    });
  }

  readServerClock();
  tick();
  setInterval(tick, 1000);
  if (document.getElementById("board")) {
    setInterval(function () { if (!document.hidden) refresh(); }, REFRESH_MS);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
  }
})();
