/*
 * Sandyq page script: every course page works alone (static previous/next
 * links) and inside the player shell. When framed it tells the shell which
 * page it is by postMessage (works across file:// origins), hides its own
 * navigation once the shell answers, and forwards the navigation keys.
 *
 * Activity pages (quiz.js, video.js) talk to the shell through
 * window.SandyqPage (see docs/runtime.md, "Page <-> shell messages"):
 *
 *   SandyqPage.onRestore(function (state) { ... }); // once: saved state or null
 *   SandyqPage.saveState({t: 42});                   // resumable state (small JSON)
 *   SandyqPage.result({score: {raw, min, max}, passed, interactions: [...]});
 *   SandyqPage.done();                               // counts towards completion
 *
 * Alone (no shell) these calls do nothing and onRestore never fires.
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
  if (!(index >= 0)) shell = null;

  var answered = false;
  var restored = false;
  var restoreState;
  var restoreHandlers = [];

  function post(message) {
    if (!shell) return;
    try {
      shell.postMessage(message, "*");
    } catch (e) { /* parent gone */ }
  }

  function send(type, fields) {
    var message = { sandyq: type, index: index };
    for (var key in fields) {
      if (Object.prototype.hasOwnProperty.call(fields, key)) message[key] = fields[key];
    }
    post(message);
  }

  function restore(state) {
    if (restored) return; // the shell answers every announcement; apply the first
    restored = true;
    restoreState = state === undefined ? null : state;
    var handlers = restoreHandlers.splice(0);
    for (var i = 0; i < handlers.length; i++) handlers[i](restoreState);
  }

  window.SandyqPage = {
    index: index,
    count: count,
    embedded: !!shell,
    onRestore: function (handler) {
      if (restored) handler(restoreState);
      else restoreHandlers.push(handler);
    },
    saveState: function (state) {
      send("state", { state: state });
    },
    result: function (result) {
      send("result", {
        score: result.score || null,
        passed: result.passed === true || result.passed === false ? result.passed : null,
        interactions: result.interactions || []
      });
    },
    done: function () {
      send("done", {});
    }
  };

  if (!shell) return;

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
    } else if (data.sandyq === "restore" && data.index === index) {
      restore(data.state && typeof data.state === "object" ? data.state : null);
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
