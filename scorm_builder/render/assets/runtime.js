/*
 * Sandyq runtime adapter: talks to a SCORM 1.2 or 2004 LMS, or keeps progress
 * in localStorage when there is no LMS (a package opened from a USB stick).
 *
 * It knows nothing about pages; player.js decides what a location and the
 * suspend data mean. See docs/runtime.md for what is read, written and
 * committed, and when.
 *
 * The API (create, start, setLocation, setSuspendData, setProgress,
 * markCompleted, setScore, setResult, recordInteraction, navigate, commit,
 * finish) is listed in docs/runtime.md, "SandyqRuntime".
 *
 * Rules kept: nothing is called before Initialize or after Terminate; write-only
 * elements are never read and read-only elements never written; the last
 * error is checked after every call; no unload/beforeunload listeners, only
 * pagehide.
 */
(function (global) {
  "use strict";

  var MAX_PARENTS = 500;

  var VERSIONS = {
    "1.2": {
      apiName: "API",
      fn: {
        init: "LMSInitialize",
        finish: "LMSFinish",
        get: "LMSGetValue",
        set: "LMSSetValue",
        commit: "LMSCommit",
        error: "LMSGetLastError"
      },
      el: {
        entry: "cmi.core.entry",
        mode: "cmi.core.lesson_mode",
        status: "cmi.core.lesson_status",
        location: "cmi.core.lesson_location",
        suspend: "cmi.suspend_data",
        exit: "cmi.core.exit",
        sessionTime: "cmi.core.session_time",
        raw: "cmi.core.score.raw",
        min: "cmi.core.score.min",
        max: "cmi.core.score.max"
      },
      limits: { location: 255, suspend: 4096, response: 255, interactions: 250 }
    },
    "2004": {
      apiName: "API_1484_11",
      fn: {
        init: "Initialize",
        finish: "Terminate",
        get: "GetValue",
        set: "SetValue",
        commit: "Commit",
        error: "GetLastError"
      },
      el: {
        entry: "cmi.entry",
        mode: "cmi.mode",
        status: "cmi.completion_status",
        success: "cmi.success_status",
        location: "cmi.location",
        suspend: "cmi.suspend_data",
        exit: "cmi.exit",
        sessionTime: "cmi.session_time",
        progress: "cmi.progress_measure",
        raw: "cmi.score.raw",
        min: "cmi.score.min",
        max: "cmi.score.max",
        scaled: "cmi.score.scaled"
      },
      limits: { location: 1000, suspend: 64000, response: 4000, interactions: 250 }
    }
  };

  /* ---- finding the LMS: the ADL search through parents, then openers ---- */

  function apiIn(win, name, initFn) {
    try {
      var api = win[name];
      if (api && typeof api[initFn] === "function") return api;
    } catch (e) { /* cross-origin window */ }
    return null;
  }

  function parentOf(win) {
    try {
      var p = win.parent;
      return p && p !== win ? p : null;
    } catch (e) {
      return null;
    }
  }

  function scan(win, name, initFn) {
    for (var hops = 0; win && hops <= MAX_PARENTS; hops++) {
      var api = apiIn(win, name, initFn);
      if (api) return api;
      win = parentOf(win);
    }
    return null;
  }

  function openerOf(win) {
    try {
      return win && win.opener ? win.opener : null;
    } catch (e) {
      return null;
    }
  }

  function topOf(win) {
    try {
      return win.top;
    } catch (e) {
      return null;
    }
  }

  /** Finds the API object of one SCORM version, or null. */
  function findApi(version, win) {
    var v = VERSIONS[version];
    var initFn = v.fn.init;
    win = win || global;
    var api = scan(win, v.apiName, initFn);
    if (api) return api;
    var openers = [openerOf(win), openerOf(topOf(win))];
    for (var i = 0; i < openers.length; i++) {
      if (openers[i]) {
        api = scan(openers[i], v.apiName, initFn);
        if (api) return api;
      }
    }
    return null;
  }

  /* ---- time formats ---- */

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  function splitTime(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    cs -= h * 360000;
    var m = Math.floor(cs / 6000);
    cs -= m * 6000;
    var s = Math.floor(cs / 100);
    cs -= s * 100;
    return { h: h, m: m, s: s, cs: cs };
  }

  /** SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (hours 2 to 4 digits). */
  function timespan12(ms) {
    var t = splitTime(ms);
    if (t.h > 9999) return "9999:59:59.99";
    return pad(t.h, 2) + ":" + pad(t.m, 2) + ":" + pad(t.s, 2) + "." + pad(t.cs, 2);
  }

  /** SCORM 2004 timeinterval (ISO 8601 duration), e.g. PT1H2M3.45S. */
  function duration2004(ms) {
    var t = splitTime(ms);
    return "PT" + t.h + "H" + t.m + "M" + t.s + "." + pad(t.cs, 2) + "S";
  }

  function round(x, places) {
    var f = Math.pow(10, places);
    return Math.round(x * f) / f;
  }

  /* ---- interactions: one neutral description, two wire formats ---- */

  var TYPES_12 = /^(true-false|choice|fill-in|matching|performance|sequencing|likert|numeric)$/;
  var TYPES_2004 = /^(true-false|choice|fill-in|long-fill-in|matching|performance|sequencing|likert|numeric|other)$/;

  /** Plain ASCII identifier characters, safe in both versions. */
  function asciiId(text, max) {
    var id = String(text === undefined || text === null ? "" : text)
      .replace(/[^A-Za-z0-9_.\-]+/g, "_").slice(0, max);
    return /[A-Za-z0-9]/.test(id) ? id : "x" + id.slice(0, max - 1);
  }

  /** A number as a CMIDecimal: no exponent, at most 10 decimals. */
  function decimal(x) {
    x = Number(x);
    if (!isFinite(x)) return null;
    var text = (Math.round(x * 1e10) / 1e10).toFixed(10).replace(/\.?0+$/, "");
    if (text === "-0") text = "0";
    return Math.abs(x) < 1e10 ? text : null;
  }

  /** One line of text without the characters that break a response's syntax. */
  function oneLine(text, max) {
    text = String(text === undefined || text === null ? "" : text)
      .replace(/\[[,.:]\]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .replace(/^\{/, "(");
    return text.length > max ? text.slice(0, max) : text;
  }

  function toList(value) {
    if (value === undefined || value === null || value === "") return [];
    return Array.isArray(value) ? value : [value];
  }

  function choiceIds(value, max) {
    var seen = {};
    var out = [];
    toList(value).forEach(function (x) {
      var id = asciiId(x, max);
      if (!seen[id]) {
        seen[id] = true;
        out.push(id);
      }
    });
    return out;
  }

  /** {pairs: [[source, target], ...]} or [[source, target], ...]. */
  function pairList(value) {
    return toList(value).filter(function (pair) {
      return Array.isArray(pair) && pair.length === 2 && pair[1] !== null && pair[1] !== "";
    });
  }

  /**
   * Formats a learner response (neutral form, see docs/runtime.md) for a version;
   * "" when there is nothing valid to write.
   */
  function formatResponse(version, type, value, lang) {
    var is12 = version === "1.2";
    var limit = is12 ? 255 : 4000;
    if (type === "true-false") {
      if (value !== true && value !== false && value !== "true" && value !== "false") return "";
      var yes = value === true || value === "true";
      return is12 ? (yes ? "t" : "f") : (yes ? "true" : "false");
    }
    if (type === "choice" || type === "sequencing") {
      return choiceIds(value, is12 ? 1 : 250).slice(0, 36).join(is12 ? "," : "[,]");
    }
    if (type === "matching") {
      return pairList(value).slice(0, 36).map(function (pair) {
        var a = asciiId(pair[0], is12 ? 1 : 250);
        var b = asciiId(pair[1], is12 ? 1 : 250);
        return is12 ? a + "." + b : a + "[.]" + b;
      }).join(is12 ? "," : "[,]");
    }
    if (type === "numeric") {
      var n = decimal(value);
      return n === null || value === "" || value === null ? "" : n;
    }
    if (type === "fill-in" || type === "long-fill-in" || type === "other") {
      var text = String(value === undefined || value === null ? "" : value);
      if (!text.replace(/\s+/g, "")) return "";
      if (is12) return oneLine(text, limit);
      var prefix = lang && type !== "other" ? "{lang=" + lang + "}" : "";
      var max = type === "fill-in" ? 250 : 4000;
      return prefix + oneLine(text, max);
    }
    return oneLine(toList(value).join(","), limit);
  }

  /** Correct-response patterns for a version: a list of strings (maybe empty). */
  function formatCorrect(version, type, patterns) {
    var is12 = version === "1.2";
    var out = [];
    toList(patterns).forEach(function (pattern) {
      var text = "";
      if (type === "numeric" && pattern && typeof pattern === "object" && !Array.isArray(pattern)) {
        var lo = decimal(pattern.min);
        var hi = decimal(pattern.max);
        if (is12) text = lo !== null && lo === hi ? lo : "";
        else if (lo !== null && hi !== null && Number(lo) <= Number(hi)) text = lo + "[:]" + hi;
      } else if (type === "fill-in" && !is12) {
        var body = formatResponse(version, type, pattern, "");
        text = body ? "{case_matters=false}" + body : "";
      } else if (type === "long-fill-in" && !is12) {
        text = formatResponse(version, type, pattern, "");
      } else {
        text = formatResponse(version, type, pattern, "");
      }
      if (text && out.indexOf(text) < 0) out.push(text);
    });
    if (type === "true-false" || type === "numeric" || type === "likert" || type === "other") {
      out = out.slice(0, 1); // these allow one correct response
    }
    return out.slice(0, is12 ? 10 : 10);
  }

  function formatResult(version, result) {
    if (typeof result === "number" && isFinite(result)) {
      var n = decimal(Math.max(version === "1.2" ? 0 : -9999, Math.min(999, result)));
      return n === null ? "neutral" : n;
    }
    if (result === "correct" || result === "neutral" || result === "unanticipated") return result;
    if (result === "incorrect" || result === "wrong") return version === "1.2" ? "wrong" : "incorrect";
    return "neutral";
  }

  function clockTime(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  function timestamp2004(date) {
    return date.toISOString().replace(/\.(\d\d)\d*Z$/, ".$1Z");
  }

  /** Plain text of HTML-free descriptions, 2004 localized string (250 characters). */
  function describe(text, lang) {
    var body = oneLine(String(text || "").replace(/\s+/g, " ").trim(), 250 - (lang ? lang.length + 7 : 0));
    if (!body) return "";
    return (lang ? "{lang=" + lang + "}" : "") + body;
  }

  /* ---- offline storage ---- */

  function readStore(key) {
    try {
      var raw = global.localStorage.getItem(key);
      var data = raw ? JSON.parse(raw) : null;
      return data && typeof data === "object" ? data : null;
    } catch (e) {
      return null;
    }
  }

  function writeStore(key, data) {
    try {
      global.localStorage.setItem(key, JSON.stringify(data));
      return true;
    } catch (e) {
      return false;
    }
  }

  function parseJson(text) {
    if (!text) return null;
    try {
      var value = JSON.parse(text);
      return value && typeof value === "object" ? value : null;
    } catch (e) {
      return null;
    }
  }

  var DONE_12 = { completed: true, passed: true, failed: true };

  /**
   * Creates a runtime. options.scorm is "1.2" or "2004" (the package's
   * version); options.storageKey names the localStorage entry used offline;
   * options.window (tests) is where the API search starts.
   */
  function create(options) {
    options = options || {};
    var version = options.scorm === "1.2" ? "1.2" : "2004";
    var v = VERSIONS[version];
    var storageKey = options.storageKey || "sandyq";

    var api = null;
    var phase = "new"; // new -> running -> finished
    var startedAt = 0;
    var readOnly = false; // review or browse mode: report nothing
    var lastError = "0";
    var errors = [];
    var state = {
      location: "",
      suspendText: "",
      status: "",
      success: "",
      progress: null,
      score: null
    };

    var rt = {
      mode: "offline",
      version: version,
      errors: errors,
      limits: v.limits
    };

    /* -- raw calls, each followed by a last-error check -- */

    function checkError(what) {
      var code = "0";
      try {
        code = String(api[v.fn.error]());
      } catch (e) {
        code = "";
      }
      if (code && code !== "0") {
        lastError = code;
        errors.push({ call: what, code: code });
      }
      return code === "0" || code === "";
    }

    function lmsGet(element) {
      var value = "";
      try {
        value = api[v.fn.get](element);
      } catch (e) {
        value = "";
      }
      checkError(v.fn.get + " " + element);
      return value === null || value === undefined ? "" : String(value);
    }

    function lmsSet(element, value) {
      var ok;
      try {
        ok = String(api[v.fn.set](element, String(value))) === "true";
      } catch (e) {
        ok = false;
      }
      return checkError(v.fn.set + " " + element) && ok;
    }

    function lmsCommit() {
      var ok;
      try {
        ok = String(api[v.fn.commit]("")) === "true";
      } catch (e) {
        ok = false;
      }
      return checkError(v.fn.commit) && ok;
    }

    function isLms() {
      return rt.mode !== "offline";
    }

    function running() {
      return phase === "running";
    }

    function saveOffline() {
      writeStore(storageKey, {
        location: state.location,
        suspendData: state.suspendText,
        status: state.status,
        success: state.success,
        score: state.score
      });
    }

    function isCompleted() {
      if (version === "1.2") return DONE_12[state.status] === true;
      return state.status === "completed";
    }

    /* -- lifecycle -- */

    function startLms(found) {
      var ok;
      try {
        ok = String(found[v.fn.init]("")) === "true";
      } catch (e) {
        ok = false;
      }
      if (!ok) return false; // not initialized: call nothing more on this API
      api = found;
      rt.mode = "lms-" + version;
      checkError(v.fn.init);

      var entry = lmsGet(v.el.entry);
      var mode = lmsGet(v.el.mode);
      readOnly = mode === "review" || mode === "browse";
      state.status = lmsGet(v.el.status);
      if (version === "2004") state.success = lmsGet(v.el.success);

      // 1.2 returns "" for an unset location; 2004 raises 403 instead, so read
      // it only when the LMS says it resumes a suspended attempt.
      var resumed = entry === "resume";
      if (version === "1.2" || resumed) {
        state.location = lmsGet(v.el.location);
        state.suspendText = lmsGet(v.el.suspend);
      }

      var firstLaunch = version === "1.2"
        ? state.status === "not attempted" || state.status === ""
        : state.status === "unknown" || state.status === "not attempted" || state.status === "";
      if (firstLaunch && !readOnly) {
        if (lmsSet(v.el.status, "incomplete")) state.status = "incomplete";
        lmsCommit();
      }
      return { resumed: resumed || (state.location !== "" || state.suspendText !== "") };
    }

    function startOffline() {
      rt.mode = "offline";
      var saved = readStore(storageKey);
      if (saved) {
        state.location = typeof saved.location === "string" ? saved.location : "";
        state.suspendText = typeof saved.suspendData === "string" ? saved.suspendData : "";
        state.status = typeof saved.status === "string" ? saved.status : "";
        state.success = typeof saved.success === "string" ? saved.success : "";
        state.score = saved.score && typeof saved.score === "object" ? saved.score : null;
      }
      if (!state.status) state.status = "incomplete";
      saveOffline();
      return { resumed: saved !== null };
    }

    /**
     * Finds the LMS and initializes the session (once); falls back to offline
     * mode. Returns what the player needs to resume.
     */
    rt.start = function () {
      if (phase !== "new") return rt.snapshot();
      phase = "running";
      startedAt = Date.now();
      var found = findApi(version, options.window);
      var info = (found && startLms(found)) || startOffline();
      if (typeof global.addEventListener === "function") {
        global.addEventListener("pagehide", onPageHide);
      }
      var snap = rt.snapshot();
      snap.resumed = info.resumed;
      return snap;
    };

    rt.snapshot = function () {
      return {
        mode: rt.mode,
        resumed: false,
        location: state.location,
        suspendData: parseJson(state.suspendText),
        completed: isCompleted(),
        status: state.status,
        success: state.success
      };
    };

    function onPageHide() {
      rt.finish();
    }

    /* -- bookmarks -- */

    /** Bookmarks a location (a short string). Sets, never commits. */
    rt.setLocation = function (location) {
      location = String(location);
      if (!running() || location.length > v.limits.location) return false;
      if (location === state.location) return true;
      state.location = location;
      if (!isLms()) {
        saveOffline();
        return true;
      }
      return readOnly || lmsSet(v.el.location, location);
    };

    rt.getLocation = function () {
      return state.location;
    };

    /**
     * Stores a JSON-able object as suspend data when it fits the version's
     * limit (4096 characters in 1.2, 64000 in 2004). Sets, never commits.
     */
    rt.setSuspendData = function (obj) {
      var text = JSON.stringify(obj);
      if (!running() || typeof text !== "string" || text.length > v.limits.suspend) return false;
      if (text === state.suspendText) return true;
      state.suspendText = text;
      if (!isLms()) {
        saveOffline();
        return true;
      }
      return readOnly || lmsSet(v.el.suspend, text);
    };

    rt.getSuspendData = function () {
      return parseJson(state.suspendText);
    };

    /** 2004 cmi.progress_measure (0..1); nothing in 1.2 or offline. Never commits. */
    rt.setProgress = function (measure) {
      if (!running() || version !== "2004" || !isLms() || readOnly) return false;
      var m = round(Math.min(1, Math.max(0, Number(measure) || 0)), 4);
      if (m === state.progress) return true;
      state.progress = m;
      return lmsSet(v.el.progress, m);
    };

    /* -- results -- */

    rt.isCompleted = isCompleted;

    /** Reports completion (once) and commits. Never downgrades passed/failed in 1.2. */
    rt.markCompleted = function () {
      if (!running() || isCompleted()) return false;
      state.status = "completed";
      if (!isLms()) {
        saveOffline();
        return true;
      }
      if (readOnly) return true;
      var ok = lmsSet(v.el.status, "completed");
      return lmsCommit() && ok;
    };

    /**
     * Reports a score and commits. raw, min and max are numbers; passingScore,
     * when given, is a raw score: success becomes passed or failed. 1.2 keeps
     * scores in 0..100, so other ranges are rescaled to a percentage there;
     * 2004 also gets cmi.score.scaled = (raw - min) / (max - min).
     */
    rt.setScore = function (raw, min, max, passingScore) {
      var graded = passingScore !== undefined && passingScore !== null && isFinite(Number(passingScore));
      var success = null;
      if (graded) success = Number(raw) >= Number(passingScore) ? "passed" : "failed";
      return rt.setResult(raw, min, max, success);
    };

    /**
     * Reports a score with an explicit verdict ("passed", "failed" or null for
     * none) and commits: the quizzes' combined result.
     */
    rt.setResult = function (raw, min, max, success) {
      raw = Number(raw);
      min = min === undefined || min === null ? 0 : Number(min);
      max = max === undefined || max === null ? 100 : Number(max);
      if (!running() || !isFinite(raw) || !isFinite(min) || !isFinite(max) || max <= min) {
        return false;
      }
      raw = Math.min(max, Math.max(min, raw));
      var graded = success === "passed" || success === "failed";
      state.score = { raw: raw, min: min, max: max };
      if (graded) state.success = success;

      if (!isLms()) {
        if (graded && version === "1.2") state.status = state.success;
        saveOffline();
        return true;
      }
      if (readOnly) return true;

      var ok = true;
      if (version === "1.2") {
        var r = raw;
        var lo = min;
        var hi = max;
        if (min < 0 || max > 100) {
          r = ((raw - min) / (max - min)) * 100;
          lo = 0;
          hi = 100;
        }
        ok = lmsSet(v.el.raw, round(r, 2)) && ok;
        ok = lmsSet(v.el.min, round(lo, 2)) && ok;
        ok = lmsSet(v.el.max, round(hi, 2)) && ok;
        if (graded && lmsSet(v.el.status, state.success)) state.status = state.success;
      } else {
        ok = lmsSet(v.el.raw, round(raw, 4)) && ok;
        ok = lmsSet(v.el.min, round(min, 4)) && ok;
        ok = lmsSet(v.el.max, round(max, 4)) && ok;
        ok = lmsSet(v.el.scaled, round((raw - min) / (max - min), 4)) && ok;
        if (graded) ok = lmsSet(v.el.success, state.success) && ok;
      }
      return lmsCommit() && ok;
    };

    /* -- interactions -- */

    var interactionCount = null; // next free index in cmi.interactions

    /**
     * Appends one interaction (cmi.interactions.n) from its neutral description:
     * {id, type, response, correct: [patterns], result, weighting, latency (ms),
     * description, lang}. Sets, never commits; the score that follows commits.
     * Nothing is written offline or in review mode.
     */
    rt.recordInteraction = function (item) {
      if (!running() || !item || typeof item !== "object") return false;
      if (!isLms() || readOnly) return true;
      var is12 = version === "1.2";
      var type = String(item.type || "");
      if (is12 && type === "long-fill-in") type = "fill-in";
      if (is12 && type === "other") type = "performance";
      if (!(is12 ? TYPES_12 : TYPES_2004).test(type)) return false;
      if (interactionCount === null) {
        // 2004 _count says where to append; 1.2 interactions are write-only but
        // _count is readable, which keeps a resumed session from overwriting.
        var counted = parseInt(lmsGet("cmi.interactions._count"), 10);
        interactionCount = counted >= 0 ? counted : 0;
      }
      if (interactionCount >= v.limits.interactions) return false;
      var n = interactionCount;
      var base = "cmi.interactions." + n + ".";
      var id = asciiId(item.id, is12 ? 255 : 200);
      if (!is12) id = "urn:sandyq:" + id;
      if (!lmsSet(base + "id", id)) return false;
      interactionCount = n + 1;
      var now = new Date();
      var ok = lmsSet(base + "type", type);
      ok = lmsSet(base + (is12 ? "time" : "timestamp"), is12 ? clockTime(now) : timestamp2004(now)) && ok;
      var weight = decimal(item.weighting);
      if (item.weighting !== undefined && item.weighting !== null && weight !== null) {
        ok = lmsSet(base + "weighting", weight) && ok;
      }
      var patterns = formatCorrect(version, type, item.correct);
      for (var k = 0; k < patterns.length; k++) {
        ok = lmsSet(base + "correct_responses." + k + ".pattern", patterns[k]) && ok;
      }
      var response = formatResponse(version, type, item.response, is12 ? "" : item.lang);
      if (response !== "") ok = lmsSet(base + (is12 ? "student_response" : "learner_response"), response) && ok;
      ok = lmsSet(base + "result", formatResult(version, item.result)) && ok;
      var latency = Number(item.latency);
      if (item.latency !== undefined && item.latency !== null && isFinite(latency) && latency >= 0) {
        ok = lmsSet(base + "latency", is12 ? timespan12(latency) : duration2004(latency)) && ok;
      }
      if (!is12 && item.description) {
        var text = describe(item.description, item.lang);
        if (text) ok = lmsSet(base + "description", text) && ok;
      }
      return ok;
    };

    /* -- navigation between SCOs (2004) -- */

    /**
     * Asks the LMS for the next or previous SCO ("continue" / "previous") and
     * ends the session. Only in an LMS session of SCORM 2004; false otherwise.
     */
    rt.navigate = function (request) {
      if (!running() || version !== "2004" || !isLms()) return false;
      if (request !== "continue" && request !== "previous") return false;
      lmsSet("adl.nav.request", request);
      return rt.finish();
    };

    rt.canNavigate = function () {
      return running() && version === "2004" && isLms();
    };

    /* -- commit and finish -- */

    /** Explicit commit; the player only calls it at milestones of its own. */
    rt.commit = function () {
      if (!running()) return false;
      if (!isLms()) {
        saveOffline();
        return true;
      }
      return lmsCommit();
    };

    /**
     * Ends the session exactly once: exit = suspend unless complete (so the LMS
     * resumes), session time, Commit, then LMSFinish/Terminate. Safe to call
     * from the Exit button and again from pagehide.
     */
    rt.finish = function () {
      if (!running()) return false;
      phase = "finished";
      if (typeof global.removeEventListener === "function") {
        global.removeEventListener("pagehide", onPageHide);
      }
      if (!isLms()) {
        saveOffline();
        return true;
      }
      if (!readOnly) {
        var complete = isCompleted();
        var exit = complete ? (version === "1.2" ? "" : "normal") : "suspend";
        lmsSet(v.el.exit, exit);
      }
      var elapsed = Date.now() - startedAt;
      lmsSet(v.el.sessionTime, version === "1.2" ? timespan12(elapsed) : duration2004(elapsed));
      lmsCommit();
      var ok;
      try {
        ok = String(api[v.fn.finish]("")) === "true";
      } catch (e) {
        ok = false;
      }
      api = null; // nothing is called after Terminate, not even GetLastError
      return ok;
    };

    rt.isFinished = function () {
      return phase === "finished";
    };

    rt.lastError = function () {
      return lastError;
    };

    return rt;
  }

  global.SandyqRuntime = {
    create: create,
    findApi: findApi,
    timespan12: timespan12,
    duration2004: duration2004
  };
})(typeof window !== "undefined" ? window : this);
