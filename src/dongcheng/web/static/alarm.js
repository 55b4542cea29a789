/* 报送时限提醒: on the board and the incident page, every countdown marked [data-due][data-alarm] raises an alert at
 * the lead time before its due second (#alarm data-alarm-lead, the platform default alarm_lead_time the server also
 * uses for the first escalation wave) and at the due second: a beep (WebAudio, no file), the tab title
 * ("⚠ 初报 02:59 — 事件"), a banner, and a browser notification once the user allowed it ("开启提醒").
 * Each alert fires once per tab (sessionStorage), so the board's 10 s refresh and a reload do not repeat it.
 * Countdowns use the server's clock (data-server-now), like board.js. No framework. */
(function () {
  "use strict";
  var root = document.getElementById("alarm");
  if (!root) return;
  var LEAD_S = Number(root.getAttribute("data-alarm-lead")) || 300;
  var DUE_WINDOW_S = 60; // the due alert sounds within a minute of the second; later the row is simply red
  var STORE = "dc-alarm-fired";
  var banner = document.getElementById("alarm-banner");
  var button = document.getElementById("alarm-enable");
  var state = document.getElementById("alarm-state");
  var baseTitle = document.title;
  var skew = 0;
  var audio = null;
  var fired = {};
  try { fired = JSON.parse(sessionStorage.getItem(STORE) || "{}") || {}; } catch (e) { fired = {}; }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(ms) {
    var s = ms < 0 ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
    return (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(x);
  }
  var serverSeen = null;
  function readServerClock() { // on load, and whenever the board's refresh brings a new server time
    var el = document.querySelector("[data-server-now]");
    var value = el && el.getAttribute("data-server-now");
    if (value && value !== serverSeen) {
      serverSeen = value;
      skew = Number(value) - Date.now();
    }
  }

  // --- sound: short sine beeps, two for the lead time, three higher ones at the due second ---
  function audioContext() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    if (!audio) audio = new Ctx();
    if (audio.state === "suspended" && audio.resume) audio.resume();
    return audio;
  }
  function beep(stage) {
    var ctx = audioContext();
    if (!ctx) return;
    var n = stage === "due" ? 3 : 2, freq = stage === "due" ? 1320 : 880;
    for (var k = 0; k < n; k++) {
      var t = ctx.currentTime + k * 0.28, osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.2);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.22);
    }
  }

  function notify(stage, text, key) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try {
      new Notification(stage === "due" ? "报送时限已到" : "报送时限将到", { body: text, tag: key,
                                                                         requireInteraction: stage === "due" });
    } catch (e) { /* some browsers allow notifications only from a service worker: the title and sound remain */ }
  }

  function showState() {
    if (!state) return;
    if (!("Notification" in window)) {
      state.textContent = "此浏览器不支持通知：仍以声音和标签页标题提醒";
    } else if (Notification.permission === "granted") {
      state.textContent = "提醒已开启：声音、标签页标题和浏览器通知";
      if (button) button.hidden = true;
    } else if (Notification.permission === "denied") {
      state.textContent = "浏览器已拒绝通知：仍以声音和标签页标题提醒（可在浏览器设置中允许）";
    }
  }

  if (button) {
    button.addEventListener("click", function () {
      audioContext(); // a click is the gesture browsers ask for before a page may sound
      try { localStorage.setItem("dc-alarm-on", "1"); } catch (e) { /* private mode */ }
      if ("Notification" in window && Notification.permission === "default") {
        var asked = Notification.requestPermission(showState);
        if (asked && asked.then) asked.then(showState);
      }
      showState();
    });
  }
  // Sound was enabled before: the page's first click or key press unlocks it again.
  function unlock() { if (localStorage.getItem("dc-alarm-on")) audioContext(); }
  document.addEventListener("pointerdown", unlock, { once: true });
  document.addEventListener("keydown", unlock, { once: true });

  function fire(stage, item, key) {
    fired[key] = Date.now();
    if (stage === "due") fired[key.replace(/\|due$/, "|lead")] = Date.now();
    try { sessionStorage.setItem(STORE, JSON.stringify(fired)); } catch (e) { /* private mode */ }
    root.setAttribute("data-alarm-last", stage + "|" + item.label + "|" + item.title);
    beep(stage);
    notify(stage, item.text, key);
  }

  function tick() {
    var now = Date.now() + skew;
    var items = document.querySelectorAll("[data-due][data-alarm]");
    var urgent = [];
    for (var k = 0; k < items.length; k++) {
      var el = items[k], due = el.getAttribute("data-due");
      var ms = Date.parse(due) - now;
      if (isNaN(ms) || ms > LEAD_S * 1000) continue;
      var stage = ms <= 0 ? "due" : "lead";
      var item = { ms: ms, label: el.getAttribute("data-alarm"), title: el.getAttribute("data-alarm-title") || "" };
      item.text = "⚠ " + item.label + (ms <= 0 ? " 已超时 " : " ") + clock(ms) + " — " + item.title;
      urgent.push(item);
      var key = due + "|" + item.label + "|" + item.title + "|" + stage;
      var fresh = stage === "lead" || ms > -DUE_WINDOW_S * 1000;
      if (fresh && !fired[key]) fire(stage, item, key);
    }
    urgent.sort(function (a, b) { return a.ms - b.ms; });
    if (urgent.length) {
      var top = urgent[0], more = urgent.length > 1 ? "（另有 " + (urgent.length - 1) + " 项）" : "";
      // the incident page's title is the incident's: it is not said twice
      document.title = baseTitle.indexOf(top.title) === 0
        ? "⚠ " + top.label + (top.ms <= 0 ? " 已超时 " : " ") + clock(top.ms) + " — " + baseTitle
        : top.text + " · " + baseTitle;
      if (banner) {
        banner.textContent = top.text + more;
        banner.classList.toggle("late", top.ms <= 0);
        banner.hidden = false;
      }
    } else {
      document.title = baseTitle;
      if (banner) banner.hidden = true;
    }
  }

  readServerClock();
  showState();
  tick();
  setInterval(function () { readServerClock(); tick(); }, 1000);
})();
