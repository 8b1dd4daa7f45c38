/*
 * Sandyq player: drives the course pages inside the shell's iframe with the
 * runtime adapter (runtime.js).
 *
 * Pages tell the shell which page they are by postMessage ({sandyq: "page",
 * index}); the shell never reads the iframe's document, so it works under
 * file:// where every file is its own origin. The completion rule is
 * "all-pages": the SCO is completed once every page has been shown.
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
  var toc = doc.getElementById("sandyq-toc");
  var tocLinks = toc ? toc.querySelectorAll("a[data-index]") : [];
  var pageOf = statusEl ? statusEl.getAttribute("data-format") || "{current} / {total}" : "";
  var courseTitle = doc.title;

  var runtime = window.SandyqRuntime.create({
    scorm: config.scorm,
    storageKey: config.storageKey
  });
  window.SandyqRuntime.session = runtime;

  var current = 0;
  var pending = null; // index the shell navigated to and has not heard from yet
  var visited = [];
  for (var i = 0; i < count; i++) visited.push(false);

  /* ---- resume ---- */

  var state = runtime.start();
  var saved = state.suspendData;
  if (saved && typeof saved.v === "string") {
    for (var j = 0; j < count && j < saved.v.length; j++) visited[j] = saved.v.charAt(j) === "1";
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
    runtime.setLocation(String(index));
    runtime.setSuspendData({ v: visited.map(function (x) { return x ? "1" : "0"; }).join("") });
    runtime.setProgress(visitedCount() / count);
    if (visitedCount() === count && !runtime.isCompleted()) runtime.markCompleted();
    render();
  }

  function visitedCount() {
    var n = 0;
    for (var k = 0; k < count; k++) if (visited[k]) n++;
    return n;
  }

  /* ---- rendering ---- */

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? String(values[key]) : m;
    });
  }

  function render() {
    var page = pages[current];
    var done = visitedCount();
    var finished = runtime.isFinished();
    if (statusEl) statusEl.textContent = format(pageOf, { current: current + 1, total: count });
    if (progressEl) {
      progressEl.max = count;
      progressEl.value = done;
    }
    if (progressText) progressText.textContent = done + " / " + count;
    if (completedEl) completedEl.hidden = !runtime.isCompleted();
    if (endedEl) endedEl.hidden = !finished;
    if (prevBtn) prevBtn.disabled = finished || current === 0;
    if (nextBtn) nextBtn.disabled = finished || current === count - 1;
    if (exitBtn) exitBtn.disabled = finished;
    frame.title = page.title;
    doc.title = page.title + " \u2014 " + courseTitle;
    for (var k = 0; k < tocLinks.length; k++) {
      var link = tocLinks[k];
      var index = parseInt(link.getAttribute("data-index"), 10);
      if (index === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
      var item = link.parentNode;
      if (visited[index]) item.classList.add("visited");
      else item.classList.remove("visited");
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
    if (data.sandyq === "page") {
      var index = data.index;
      if (typeof index !== "number" || index % 1 !== 0 || index < 0 || index >= count) return;
      tell({ sandyq: "shell" });
      shown(index);
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

  if (prevBtn) prevBtn.addEventListener("click", previous);
  if (nextBtn) nextBtn.addEventListener("click", next);
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
