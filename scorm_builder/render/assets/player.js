/*
 * Sandyq player: drives the course pages inside the shell's iframe with the
 * runtime adapter (runtime.js).
 *
 * Pages tell the shell which page they are by postMessage ({sandyq: "page",
 * index}); the shell never reads the iframe's document, so it works under
 * file:// where every file is its own origin. The completion rule is
 * "all-pages": the SCO is completed once every page is done. A "page" is done
 * when shown; a "quiz" or "video" page when it posts {sandyq: "done"}.
 * Activities also post their resumable state and quiz results; see
 * docs/runtime.md, "Page <-> shell messages".
 *
 * Keys: Alt+PageDown, ] or ArrowRight = next page; Alt+PageUp, [ or
 * ArrowLeft = previous page (not while typing in a form field).
 */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var config;
  try {
    config = JSON.parse(doc.getElementById("sandyq-config").textContent);
  } catch (e) {
    return; // no configuration: the plain links keep working
  }
  var pages = Array.isArray(config.pages) ? config.pages : [];
  var count = pages.length;
  if (!count || !window.SandyqRuntime) return;

  var frame = doc.getElementById("sandyq-frame");
  var stage = doc.getElementById("sandyq-main");
  var statusEl = doc.getElementById("sandyq-status");
  var progressEl = doc.getElementById("sandyq-progress");
  var progressText = doc.getElementById("sandyq-progress-text");
  var completedEl = doc.getElementById("sandyq-completed");
  var endedEl = doc.getElementById("sandyq-ended");
  var prevBtn = doc.getElementById("sandyq-prev");
  var nextBtn = doc.getElementById("sandyq-next");
  var exitBtn = doc.getElementById("sandyq-exit");
  var menuBtn = doc.getElementById("sandyq-menu");
  var prevPartBtn = doc.getElementById("sandyq-prev-part");
  var nextPartBtn = doc.getElementById("sandyq-next-part");
  var toc = doc.getElementById("sandyq-toc");
  var tocLinks = toc ? toc.querySelectorAll("a[data-index]") : [];
  var pageOf = statusEl ? statusEl.getAttribute("data-format") || "{current} / {total}" : "";
  var courseTitle = doc.title;

  var runtime = window.SandyqRuntime.create({
    scorm: config.scorm,
    storageKey: config.storageKey
  });
  window.SandyqRuntime.session = runtime;

  var nav = config.navigation && typeof config.navigation === "object" ? config.navigation : {};
  var passingScore = typeof config.passingScore === "number" ? config.passingScore : null;

  var current = 0;
  var pending = null; // index the shell navigated to and has not heard from yet
  var visited = []; // shown at least once
  var done = []; // counts towards completion
  var states = {}; // page index -> the page's resumable state
  var stateOrder = []; // page indexes, least recently saved first
  var results = {}; // quiz page index -> [raw, min, max, passed (1, 0 or -1)]
  for (var i = 0; i < count; i++) {
    visited.push(false);
    done.push(false);
  }

  function kindOf(index) {
    var kind = pages[index] && pages[index].kind;
    return kind === "quiz" || kind === "video" ? kind : "page";
  }

  function isGradedQuiz(index) {
    return kindOf(index) === "quiz" && pages[index].graded !== false;
  }

  /* ---- resume ---- */

  var state = runtime.start();
  var saved = state.suspendData;
  if (saved && typeof saved.v === "string") {
    // "0" not seen, "1" done, "2" seen but not done (an activity)
    for (var j = 0; j < count && j < saved.v.length; j++) {
      var mark = saved.v.charAt(j);
      visited[j] = mark === "1" || mark === "2";
      done[j] = mark === "1";
    }
  }
  if (saved && saved.s && typeof saved.s === "object") {
    for (var key in saved.s) {
      var at = parseInt(key, 10);
      if (Object.prototype.hasOwnProperty.call(saved.s, key) && at >= 0 && at < count) {
        states[at] = saved.s[key];
        stateOrder.push(at);
      }
    }
  }
  if (saved && saved.r && typeof saved.r === "object") {
    for (var rkey in saved.r) {
      var rat = parseInt(rkey, 10);
      var rv = saved.r[rkey];
      if (Object.prototype.hasOwnProperty.call(saved.r, rkey) && rat >= 0 && rat < count &&
          Array.isArray(rv) && rv.length === 4) {
        results[rat] = rv;
      }
    }
  }
  var bookmark = parseInt(state.location, 10);
  if (!(bookmark >= 0 && bookmark < count)) bookmark = 0;

  /* ---- navigation ---- */

  function hrefOf(index) {
    try {
      return new URL(pages[index].href, doc.baseURI).href;
    } catch (e) {
      return pages[index].href;
    }
  }

  function go(index) {
    if (!(index >= 0 && index < count) || runtime.isFinished()) return;
    pending = index;
    current = index;
    render();
    var url = hrefOf(index);
    try {
      frame.contentWindow.location.replace(url); // no extra history entries
    } catch (e) {
      frame.src = url;
    }
  }

  function next() {
    go(current + 1);
  }

  function previous() {
    go(current - 1);
  }

  /* SCORM 2004 packages with several SCOs: ask the LMS for the next or previous one. */
  function canLeave(request) {
    return runtime.canNavigate() && nav[request] === true;
  }

  function leave(request) {
    if (!canLeave(request)) return;
    runtime.navigate(request);
    render();
  }

  /** A page reported itself as shown. */
  function shown(index) {
    if (pending !== null && index !== pending) return; // a stale page still loading
    pending = null;
    current = index;
    if (runtime.isFinished()) {
      render();
      return;
    }
    visited[index] = true;
    if (kindOf(index) === "page") done[index] = true;
    runtime.setLocation(String(index));
    progressed();
  }

  /** An activity page (quiz, video) says it is done. */
  function finished(index) {
    if (runtime.isFinished() || done[index]) return;
    visited[index] = true;
    done[index] = true;
    var completes = doneCount() === count && !runtime.isCompleted();
    progressed();
    if (!completes) runtime.commit(); // a milestone; completion commits by itself
  }

  /** Saves visited/done, states and results; completes the SCO when all are done. */
  function progressed() {
    save();
    runtime.setProgress(doneCount() / count);
    if (doneCount() === count && !runtime.isCompleted()) runtime.markCompleted();
    render();
  }

  function doneCount() {
    var n = 0;
    for (var k = 0; k < count; k++) if (done[k]) n++;
    return n;
  }

  /** Suspend data: {v: "0121", s: {"3": state}, r: {"3": [raw, min, max, passed]}}. */
  function suspendObject() {
    var data = {
      v: visited.map(function (x, k) { return done[k] ? "1" : x ? "2" : "0"; }).join("")
    };
    var r = null;
    for (var rk in results) {
      if (Object.prototype.hasOwnProperty.call(results, rk)) {
        r = r || {};
        r[rk] = results[rk];
      }
    }
    if (r) data.r = r;
    if (stateOrder.length) {
      data.s = {};
      for (var k = 0; k < stateOrder.length; k++) data.s[stateOrder[k]] = states[stateOrder[k]];
    }
    return data;
  }

  function save() {
    var limit = runtime.limits.suspend;
    var data = suspendObject();
    // Too big: forget the states saved longest ago, then (never in practice) the results.
    while (JSON.stringify(data).length > limit && stateOrder.length) {
      delete states[stateOrder.shift()];
      data = suspendObject();
    }
    if (JSON.stringify(data).length > limit) delete data.r;
    runtime.setSuspendData(data);
  }

  /** A page's resumable state: kept in the suspend data, set now, committed later. */
  function keepState(index, value) {
    if (runtime.isFinished()) return;
    var at = stateOrder.indexOf(index);
    if (at >= 0) stateOrder.splice(at, 1);
    if (value === null || value === undefined) {
      delete states[index];
    } else {
      states[index] = value;
      stateOrder.push(index);
    }
    save();
  }

  /** A quiz's graded result: its interactions, then the SCO's combined score. */
  function scored(index, data) {
    if (runtime.isFinished()) return;
    var list = Array.isArray(data.interactions) ? data.interactions : [];
    for (var k = 0; k < list.length; k++) {
      var item = list[k];
      if (!item || typeof item !== "object") continue;
      var copy = {};
      for (var f in item) if (Object.prototype.hasOwnProperty.call(item, f)) copy[f] = item[f];
      copy.id = "p" + (index + 1) + "-" + String(item.id || k + 1);
      if (!copy.lang) copy.lang = config.lang;
      runtime.recordInteraction(copy);
    }
    var score = data.score;
    if (score && typeof score === "object" && isFinite(score.raw) && isFinite(score.max) &&
        Number(score.max) > Number(score.min || 0)) {
      var passed = data.passed === true ? 1 : data.passed === false ? 0 : -1;
      results[index] = [Number(score.raw), Number(score.min || 0), Number(score.max), passed];
    } else {
      results[index] = [0, 0, 0, 2]; // nothing graded in this quiz (essays only)
    }
    save();
    reportScore();
  }

  /**
   * The SCO's score: the sum over the quizzes' latest results, as a percentage.
   * Passed only when every graded quiz has a result and all of them passed.
   */
  function reportScore() {
    var raw = 0;
    var max = 0;
    var verdicts = [];
    var missing = false;
    for (var k = 0; k < count; k++) {
      var r = results[k];
      if (r && r[3] === 2) continue;
      if (r) {
        raw += r[0] - r[1];
        max += r[2] - r[1];
        verdicts.push(r[3]);
      } else if (isGradedQuiz(k)) {
        missing = true;
      }
    }
    if (!(max > 0)) {
      runtime.commit(); // interactions only: still a milestone
      return;
    }
    var percent = Math.round((raw / max) * 10000) / 100;
    var success = null;
    if (!missing && config.graded !== false) {
      if (verdicts.indexOf(-1) < 0) success = verdicts.indexOf(0) < 0 ? "passed" : "failed";
      else if (passingScore !== null) success = percent >= passingScore ? "passed" : "failed";
    }
    runtime.setResult(percent, 0, 100, success);
    render();
  }

  /* ---- rendering ---- */

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? String(values[key]) : m;
    });
  }

  function render() {
    var page = pages[current];
    var doneNow = doneCount();
    var ended = runtime.isFinished();
    if (statusEl) statusEl.textContent = format(pageOf, { current: current + 1, total: count });
    if (progressEl) {
      progressEl.max = count;
      progressEl.value = doneNow;
    }
    if (progressText) progressText.textContent = doneNow + " / " + count;
    if (completedEl) completedEl.hidden = !runtime.isCompleted();
    if (endedEl) endedEl.hidden = !ended;
    if (prevBtn) prevBtn.disabled = ended || (current === 0 && !canLeave("previous"));
    if (nextBtn) nextBtn.disabled = ended || (current === count - 1 && !canLeave("continue"));
    if (exitBtn) exitBtn.disabled = ended;
    if (prevPartBtn) prevPartBtn.hidden = ended || !canLeave("previous");
    if (nextPartBtn) nextPartBtn.hidden = ended || !canLeave("continue");
    frame.title = page.title;
    doc.title = page.title + " \u2014 " + courseTitle;
    for (var k = 0; k < tocLinks.length; k++) {
      var link = tocLinks[k];
      var index = parseInt(link.getAttribute("data-index"), 10);
      if (index === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
      var item = link.parentNode;
      item.classList.toggle("visited", visited[index]);
      item.classList.toggle("done", done[index]);
    }
  }

  /* ---- messages from the page frame ---- */

  function fromFrame(event) {
    return frame && event.source === frame.contentWindow;
  }

  function tell(message) {
    try {
      frame.contentWindow.postMessage(message, "*");
    } catch (e) { /* frame gone */ }
  }

  window.addEventListener("message", function (event) {
    if (!fromFrame(event)) return;
    var data = event.data;
    if (!data || typeof data !== "object" || typeof data.sandyq !== "string") return;
    var index = data.index;
    var valid = typeof index === "number" && index % 1 === 0 && index >= 0 && index < count;
    if (data.sandyq === "page") {
      if (!valid) return;
      tell({ sandyq: "shell" });
      var stale = pending !== null && index !== pending;
      shown(index);
      if (!stale) tell({ sandyq: "restore", index: index, state: states.hasOwnProperty(index) ? states[index] : null });
    } else if (data.sandyq === "state") {
      if (valid && kindOf(index) !== "page" && data.state && typeof data.state === "object") {
        keepState(index, data.state);
      }
    } else if (data.sandyq === "done") {
      if (valid && kindOf(index) !== "page") finished(index);
    } else if (data.sandyq === "result") {
      if (valid && kindOf(index) === "quiz") scored(index, data);
    } else if (data.sandyq === "key") {
      if (data.action === "next") next();
      else if (data.action === "previous") previous();
    }
  });

  // A page may have posted before this script listened: ask it again.
  frame.addEventListener("load", function () {
    tell({ sandyq: "hello" });
  });

  /* ---- controls ---- */

  if (prevBtn) {
    prevBtn.addEventListener("click", function () {
      if (current === 0) leave("previous");
      else previous();
    });
  }
  if (nextBtn) {
    nextBtn.addEventListener("click", function () {
      if (current === count - 1) leave("continue");
      else next();
    });
  }
  if (prevPartBtn) prevPartBtn.addEventListener("click", function () { leave("previous"); });
  if (nextPartBtn) nextPartBtn.addEventListener("click", function () { leave("continue"); });
  if (exitBtn) {
    exitBtn.addEventListener("click", function () {
      runtime.finish();
      render();
      if (endedEl) endedEl.focus();
      closeIfPopup();
    });
  }

  function closeIfPopup() {
    try {
      if (window.top === window && window.opener) window.close();
    } catch (e) { /* not ours to close */ }
  }

  function setMenu(open) {
    if (!menuBtn || !toc) return;
    menuBtn.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("toc-open", open);
  }

  if (menuBtn) {
    menuBtn.hidden = false;
    menuBtn.addEventListener("click", function () {
      setMenu(menuBtn.getAttribute("aria-expanded") !== "true");
    });
  }

  for (var t = 0; t < tocLinks.length; t++) {
    tocLinks[t].addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      go(parseInt(this.getAttribute("data-index"), 10));
      if (root.classList.contains("toc-open")) {
        setMenu(false); // the link is hidden now: keep focus near the page
        if (stage) stage.focus();
      }
    });
  }

  /* ---- keyboard ---- */

  function inFormField(el) {
    if (!el) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function keyAction(event) {
    if (event.ctrlKey || event.metaKey) return null;
    if (event.altKey) {
      if (event.key === "PageDown") return "next";
      if (event.key === "PageUp") return "previous";
      return null;
    }
    if (event.key === "]" || event.key === "ArrowRight") return "next";
    if (event.key === "[" || event.key === "ArrowLeft") return "previous";
    return null;
  }

  doc.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || inFormField(event.target)) return;
    if (event.key === "Escape" && root.classList.contains("toc-open")) {
      setMenu(false);
      if (menuBtn) menuBtn.focus();
      return;
    }
    var action = keyAction(event);
    if (!action) return;
    event.preventDefault();
    if (action === "next") next();
    else previous();
  });

  /* ---- go ---- */

  render();
  if (bookmark !== 0) go(bookmark);
  else tell({ sandyq: "hello" });
})();
