/*
 * Sandyq page script: every course page works alone (static previous/next
 * links) and inside the player shell. When framed it tells the shell which
 * page it is by postMessage (works across file:// origins), hides its own
 * navigation once the shell answers, and forwards the navigation keys.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var index = parseInt(root.getAttribute("data-sandyq-index"), 10);
  var count = parseInt(root.getAttribute("data-sandyq-count"), 10);
  var shell = null;
  try {
    shell = window.parent !== window ? window.parent : null;
  } catch (e) {
    shell = null;
  }
  if (!shell || !(index >= 0)) return;

  var answered = false;

  function post(message) {
    try {
      shell.postMessage(message, "*");
    } catch (e) { /* parent gone */ }
  }

  function announce() {
    post({ sandyq: "page", index: index, count: count });
  }

  // Hide the static navigation while framed; show it again when no Sandyq
  // shell answers (the page was framed by something else).
  root.classList.add("sandyq-embedded");
  var fallback = window.setTimeout(function () {
    if (!answered) root.classList.remove("sandyq-embedded");
  }, 2000);

  window.addEventListener("message", function (event) {
    if (event.source !== shell) return;
    var data = event.data;
    if (!data || typeof data !== "object") return;
    if (data.sandyq === "shell") {
      answered = true;
      window.clearTimeout(fallback);
      root.classList.add("sandyq-embedded");
    } else if (data.sandyq === "hello") {
      announce();
    }
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) announce();
  });

  function inFormField(el) {
    if (!el) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" ||
      tag === "VIDEO" || tag === "AUDIO";
  }

  function scrollsSideways() {
    var el = document.scrollingElement || root;
    return el.scrollWidth > el.clientWidth + 1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || inFormField(event.target)) return;
    var action = null;
    if (event.altKey) {
      if (event.key === "PageDown") action = "next";
      else if (event.key === "PageUp") action = "previous";
    } else if (event.key === "]") {
      action = "next";
    } else if (event.key === "[") {
      action = "previous";
    } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && !scrollsSideways()) {
      action = event.key === "ArrowRight" ? "next" : "previous";
    }
    if (!action) return;
    event.preventDefault();
    post({ sandyq: "key", action: action });
  });

  announce();
})();
