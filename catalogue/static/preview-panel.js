/*
 * The SCORM API panel beside a package preview (templates/_preview.html): a summary
 * of what the package reported (status, score, location, session time) and a log of
 * its calls, from the messages static/preview-api.js posts to this page.
 *
 * A message counts only when it comes from inside the preview's own frame (the
 * package's player may nest frames) and says {sandyq: "scorm-call"}; everything is
 * written with textContent, since the values are the package's, not ours.
 */
(function () {
  "use strict";

  if (window.sandyqPreviewPanel) return; // the macro may be on a page twice
  window.sandyqPreviewPanel = true;

  var MAX_ROWS = 500;
  var INQUIRIES = /^(LMS)?(GetLastError|GetErrorString|GetDiagnostic)$/;
  var SUMMARY = {
    "cmi.core.lesson_status": "completion",
    "cmi.completion_status": "completion",
    "cmi.success_status": "success",
    "cmi.core.lesson_location": "location",
    "cmi.location": "location",
    "cmi.core.session_time": "session-time",
    "cmi.session_time": "session-time",
    "cmi.core.score.raw": "raw",
    "cmi.score.raw": "raw",
    "cmi.core.score.max": "max",
    "cmi.score.max": "max",
    "cmi.score.scaled": "scaled"
  };

  function Panel(root) {
    this.frame = root.querySelector("iframe");
    this.section = root.querySelector(".preview-panel");
    this.fields = {};
    var named = root.querySelectorAll("[data-field]");
    for (var i = 0; i < named.length; i++) this.fields[named[i].getAttribute("data-field")] = named[i];
    this.score = { raw: "", max: "" };
    this.calls = 0;
    var live = root.querySelector(".preview-live");
    if (live) live.hidden = false;
    var toggle = this.fields.inquiries;
    var log = this.fields.log;
    if (toggle && log) {
      toggle.addEventListener("change", function () {
        var rows = log.querySelectorAll("tr[data-inquiry]");
        for (var r = 0; r < rows.length; r++) rows[r].hidden = !toggle.checked;
      });
    }
  }

  /** True when `source` is the preview's frame or a frame inside it. */
  Panel.prototype.owns = function (source) {
    var target = this.frame && this.frame.contentWindow;
    var win = source;
    for (var hops = 0; win && target && hops < 50; hops++) {
      if (win === target) return true;
      var parent = win.parent;
      if (!parent || parent === win) return false;
      win = parent;
    }
    return false;
  };

  Panel.prototype.show = function (field, value) {
    var element = this.fields[field];
    if (!element) return;
    element.textContent = value === "" ? this.section.getAttribute("data-empty") : value;
  };

  Panel.prototype.session = function (state) {
    var line = this.fields.session;
    if (!line || line.getAttribute("data-state") === state) return; // say it once
    line.setAttribute("data-state", state);
    line.textContent = this.section.getAttribute("data-session-" + state);
  };

  Panel.prototype.summarize = function (call) {
    var ok = call.error === "0";
    var successful = ok && (call.result === "true" || /GetValue$/.test(call.method));
    if (/Initialize$/.test(call.method) && call.result === "true") this.session("running");
    if (/(Terminate|LMSFinish)$/.test(call.method) && call.result === "true") this.session("finished");
    if (!successful || typeof call.element !== "string") return;
    var field = SUMMARY[call.element];
    if (!field) return;
    var value = /GetValue$/.test(call.method) ? call.result : call.value;
    if (typeof value !== "string") return;
    if (field === "raw" || field === "max") {
      this.score[field] = value;
      this.show("score", this.score.max ? this.score.raw + " / " + this.score.max : this.score.raw);
    } else {
      this.show(field, value);
    }
    if (call.element === "cmi.core.lesson_status" && (value === "passed" || value === "failed")) {
      this.show("success", value);
    }
  };

  Panel.prototype.record = function (call) {
    var log = this.fields.log;
    if (!log) return;
    this.calls += 1;
    var row = document.createElement("tr");
    var cells = [String(this.calls), call.method, call.element, call.value, call.result, call.error];
    for (var i = 0; i < cells.length; i++) {
      var cell = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) cell.setAttribute("scope", "row");
      cell.textContent = cells[i] === null || cells[i] === undefined ? "" : String(cells[i]);
      row.appendChild(cell);
    }
    if (call.error !== "0") row.className = "preview-failed";
    if (INQUIRIES.test(call.method)) {
      row.setAttribute("data-inquiry", "");
      row.hidden = !(this.fields.inquiries && this.fields.inquiries.checked);
    }
    log.insertBefore(row, log.firstChild);
    while (log.childNodes.length > MAX_ROWS) log.removeChild(log.lastChild);
  };

  Panel.prototype.receive = function (data) {
    var call = {
      version: data.version === "1.2" ? "1.2" : "2004",
      method: String(data.method || ""),
      element: typeof data.element === "string" ? data.element : null,
      value: typeof data.value === "string" ? data.value : null,
      result: String(data.result === undefined ? "" : data.result),
      error: String(data.error === undefined ? "" : data.error)
    };
    if (!call.method) return;
    this.show("version", "SCORM " + call.version);
    this.summarize(call);
    this.record(call);
  };

  /*
   * The macro loads this script before the frame, so the listener is there before the
   * package can call Initialize; calls that arrive while the page is still being read
   * wait in `early` until the panels exist.
   */
  var panels = null;
  var early = [];

  function dispatch(data, source) {
    for (var p = 0; p < panels.length; p++) {
      if (panels[p].owns(source)) {
        panels[p].receive(data);
        return;
      }
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.sandyq !== "scorm-call" || !event.source) return;
    if (panels === null) early.push([data, event.source]);
    else dispatch(data, event.source);
  });

  function start() {
    var roots = document.querySelectorAll("[data-preview]");
    panels = [];
    for (var i = 0; i < roots.length; i++) panels.push(new Panel(roots[i]));
    for (var e = 0; e < early.length; e++) dispatch(early[e][0], early[e][1]);
    early = [];
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
