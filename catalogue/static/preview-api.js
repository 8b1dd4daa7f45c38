/*
 * Sandyq preview LMS: an in-memory SCORM 1.2 (window.API) and SCORM 2004
 * (window.API_1484_11) run-time, injected by the catalogue as the first script
 * of every HTML file of a package preview (catalogue/web/common/preview.py).
 *
 * Why in the package's own window: every preview document is sandboxed with an
 * opaque origin, so a package searching its window and its parents for the API
 * (the ADL algorithm) cannot reach an object in another frame. Each document
 * gets its own LMS, which starts a fresh first attempt (entry "ab-initio", mode
 * "normal", credit "credit") and keeps nothing.
 *
 * Every call and its result is posted to window.top as
 * {sandyq: "scorm-call", version, method, element, value, result, error}; the
 * catalogue page's panel (preview-panel.js) shows them: what a real LMS would
 * receive. Calls before Initialize and after Terminate fail with the standard
 * error codes, as they would in an LMS.
 */
(function (global) {
  "use strict";

  if (global.API_1484_11 && global.API && global.API.sandyqPreview) return;

  var script = document.currentScript;
  var LEARNER_NAME = (script && script.getAttribute("data-learner-name")) || "Learner, Preview";
  var LEARNER_ID = "sandyq-preview";

  function post(message) {
    message.sandyq = "scorm-call";
    try {
      global.top.postMessage(message, "*");
    } catch (e) { /* no catalogue page around us: nothing to tell */ }
  }

  /* ---- value types ---- */

  var DECIMAL = /^-?\d+(\.\d+)?$/;
  var TIMESPAN_12 = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;
  var TIME_12 = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/;
  var TIMESTAMP = /^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,2})?)?)?(Z|[+-]\d{2}(:\d{2})?)?)?)?)?$/;

  // A type check answers null (fine), "type" (wrong type) or "range" (out of range).
  function text(max) {
    return function (v) { return v.length <= max ? null : "type"; };
  }
  function vocabulary(words) {
    return function (v) { return words.indexOf(v) >= 0 ? null : "type"; };
  }
  function pattern(regex) {
    return function (v) { return regex.test(v) ? null : "type"; };
  }
  function decimal(min, max, blank) {
    return function (v) {
      if (blank && v === "") return null;
      if (!DECIMAL.test(v)) return "type";
      var n = parseFloat(v);
      return (min !== null && n < min) || (max !== null && n > max) ? "range" : null;
    };
  }
  function identifier(max) {
    return function (v) { return v.length > 0 && v.length <= max && !/\s/.test(v) ? null : "type"; };
  }

  /* ---- the two versions ---- */

  var STATUS_12 = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"];
  var TYPES_12 = ["true-false", "choice", "fill-in", "matching", "performance", "sequencing",
    "likert", "numeric"];
  var INTERACTION_TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "matching",
    "performance", "sequencing", "likert", "numeric", "other"];

  var V12 = {
    version: "1.2",
    methods: { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", error: "LMSGetLastError", text: "LMSGetErrorString", diagnostic: "LMSGetDiagnostic" },
    messages: {
      "0": "No error", "101": "General exception", "201": "Invalid argument error",
      "202": "Element cannot have children", "203": "Element not an array - cannot have count",
      "301": "Not initialized", "401": "Not implemented error",
      "402": "Invalid set value, element is a keyword", "403": "Element is read only",
      "404": "Element is write only", "405": "Incorrect data type"
    },
    codes: {
      initTwice: "101", initAfter: "101", finishBefore: "301", finishAfter: "301",
      getBefore: "301", getAfter: "301", setBefore: "301", setAfter: "301",
      commitBefore: "301", commitAfter: "301", argument: "201", undefinedElement: "201",
      readOnly: "403", writeOnly: "404", keyword: "402", type: "405", range: "405",
      noChildren: "202", noCount: "203", notSet: null, dependency: "201", index: "201", indexGet: "201",
      emptyGet: "201", emptySet: "201"
    },
    values: {
      "cmi.core.student_id": LEARNER_ID,
      "cmi.core.student_name": LEARNER_NAME,
      "cmi.core.lesson_location": "",
      "cmi.core.credit": "credit",
      "cmi.core.lesson_status": "not attempted",
      "cmi.core.entry": "ab-initio",
      "cmi.core.total_time": "0000:00:00.00",
      "cmi.core.lesson_mode": "normal",
      "cmi.suspend_data": "",
      "cmi.launch_data": "",
      "cmi.comments": "",
      "cmi.comments_from_lms": "",
      "cmi.student_data.mastery_score": "",
      "cmi.student_data.max_time_allowed": "",
      "cmi.student_data.time_limit_action": "continue,no message",
      "cmi.student_preference.audio": "0",
      "cmi.student_preference.language": "",
      "cmi.student_preference.speed": "0",
      "cmi.student_preference.text": "0"
    },
    children: {
      "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
      "cmi.core.score": "raw,min,max",
      "cmi.objectives": "id,score,status",
      "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
      "cmi.student_preference": "audio,language,speed,text",
      "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"
    },
    arrays: ["cmi.objectives", "cmi.interactions", /^cmi\.interactions\.\d+\.objectives$/,
      /^cmi\.interactions\.\d+\.correct_responses$/],
    elements: [
      [/^cmi\.core\.(student_id|student_name|credit|entry|total_time|lesson_mode)$/, "r"],
      [/^cmi\.core\.lesson_location$/, "rw", text(255)],
      [/^cmi\.core\.lesson_status$/, "rw", vocabulary(STATUS_12.slice(0, 5))],
      [/^cmi\.core\.score\.(raw|min|max)$/, "rw", decimal(0, 100, true)],
      [/^cmi\.core\.exit$/, "w", vocabulary(["time-out", "suspend", "logout", ""])],
      [/^cmi\.core\.session_time$/, "w", pattern(TIMESPAN_12)],
      [/^cmi\.suspend_data$/, "rw", text(4096)],
      [/^cmi\.launch_data$/, "r"],
      [/^cmi\.comments$/, "rw", text(4096)],
      [/^cmi\.comments_from_lms$/, "r"],
      [/^cmi\.objectives\.\d+\.id$/, "rw", identifier(255)],
      [/^cmi\.objectives\.\d+\.score\.(raw|min|max)$/, "rw", decimal(0, 100, true)],
      [/^cmi\.objectives\.\d+\.status$/, "rw", vocabulary(STATUS_12)],
      [/^cmi\.student_data\.(mastery_score|max_time_allowed|time_limit_action)$/, "r"],
      [/^cmi\.student_preference\.audio$/, "rw", decimal(-1, 100)],
      [/^cmi\.student_preference\.language$/, "rw", text(255)],
      [/^cmi\.student_preference\.speed$/, "rw", decimal(-100, 100)],
      [/^cmi\.student_preference\.text$/, "rw", vocabulary(["-1", "0", "1"])],
      [/^cmi\.interactions\.\d+\.id$/, "w", identifier(255)],
      [/^cmi\.interactions\.\d+\.objectives\.\d+\.id$/, "w", identifier(255)],
      [/^cmi\.interactions\.\d+\.time$/, "w", pattern(TIME_12)],
      [/^cmi\.interactions\.\d+\.type$/, "w", vocabulary(TYPES_12)],
      [/^cmi\.interactions\.\d+\.correct_responses\.\d+\.pattern$/, "w", text(255)],
      [/^cmi\.interactions\.\d+\.weighting$/, "w", decimal(null, null)],
      [/^cmi\.interactions\.\d+\.student_response$/, "w", text(255)],
      [/^cmi\.interactions\.\d+\.result$/, "w", function (v) {
        return /^(correct|wrong|unanticipated|neutral)$/.test(v) || DECIMAL.test(v) ? null : "type";
      }],
      [/^cmi\.interactions\.\d+\.latency$/, "w", pattern(TIMESPAN_12)]
    ]
  };

  var V2004 = {
    version: "2004",
    methods: { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
      commit: "Commit", error: "GetLastError", text: "GetErrorString", diagnostic: "GetDiagnostic" },
    messages: {
      "0": "No Error", "101": "General Exception", "102": "General Initialization Failure",
      "103": "Already Initialized", "104": "Content Instance Terminated",
      "111": "General Termination Failure", "112": "Termination Before Initialization",
      "113": "Termination After Termination", "122": "Retrieve Data Before Initialization",
      "123": "Retrieve Data After Termination", "132": "Store Data Before Initialization",
      "133": "Store Data After Termination", "142": "Commit Before Initialization",
      "143": "Commit After Termination", "201": "General Argument Error",
      "301": "General Get Failure", "351": "General Set Failure", "391": "General Commit Failure",
      "401": "Undefined Data Model Element", "402": "Unimplemented Data Model Element",
      "403": "Data Model Element Value Not Initialized", "404": "Data Model Element Is Read Only",
      "405": "Data Model Element Is Write Only", "406": "Data Model Element Type Mismatch",
      "407": "Data Model Element Value Out Of Range", "408": "Data Model Dependency Not Established"
    },
    codes: {
      initTwice: "103", initAfter: "104", finishBefore: "112", finishAfter: "113",
      getBefore: "122", getAfter: "123", setBefore: "132", setAfter: "133",
      commitBefore: "142", commitAfter: "143", argument: "201", undefinedElement: "401",
      readOnly: "404", writeOnly: "405", keyword: "404", type: "406", range: "407",
      noChildren: "301", noCount: "301", notSet: "403", dependency: "408", index: "351", indexGet: "301",
      emptyGet: "301", emptySet: "351"
    },
    values: {
      "cmi._version": "1.0",
      "cmi.learner_id": LEARNER_ID,
      "cmi.learner_name": LEARNER_NAME,
      "cmi.completion_status": "unknown",
      "cmi.success_status": "unknown",
      "cmi.entry": "ab-initio",
      "cmi.mode": "normal",
      "cmi.credit": "credit",
      "cmi.total_time": "PT0H0M0S",
      "cmi.time_limit_action": "continue,no message",
      "cmi.learner_preference.audio_level": "1",
      "cmi.learner_preference.language": "",
      "cmi.learner_preference.delivery_speed": "1",
      "cmi.learner_preference.audio_captioning": "0",
      "adl.nav.request": "_none_"
    },
    children: {
      "cmi.score": "scaled,raw,min,max",
      "cmi.objectives": "id,score,success_status,completion_status,progress_measure,description",
      "cmi.interactions": "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
      "cmi.comments_from_learner": "comment,location,timestamp",
      "cmi.comments_from_lms": "comment,location,timestamp",
      "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
      "cmi.objectives.n.score": "scaled,raw,min,max"
    },
    arrays: ["cmi.objectives", "cmi.interactions", "cmi.comments_from_learner", "cmi.comments_from_lms",
      /^cmi\.interactions\.\d+\.objectives$/, /^cmi\.interactions\.\d+\.correct_responses$/],
    elements: [
      [/^cmi\.(_version|learner_id|learner_name|entry|mode|credit|total_time|time_limit_action)$/, "r"],
      [/^cmi\.(launch_data|completion_threshold|scaled_passing_score|max_time_allowed)$/, "r"],
      [/^cmi\.location$/, "rw", text(1000)],
      [/^cmi\.completion_status$/, "rw", vocabulary(["completed", "incomplete", "not attempted", "unknown"])],
      [/^cmi\.success_status$/, "rw", vocabulary(["passed", "failed", "unknown"])],
      [/^cmi\.progress_measure$/, "rw", decimal(0, 1)],
      [/^cmi\.score\.scaled$/, "rw", decimal(-1, 1)],
      [/^cmi\.score\.(raw|min|max)$/, "rw", decimal(null, null)],
      [/^cmi\.exit$/, "w", vocabulary(["time-out", "suspend", "logout", "normal", ""])],
      [/^cmi\.session_time$/, "w", pattern(DURATION)],
      [/^cmi\.suspend_data$/, "rw", text(64000)],
      [/^cmi\.learner_preference\.(audio_level|delivery_speed)$/, "rw", decimal(0, null)],
      [/^cmi\.learner_preference\.language$/, "rw", text(250)],
      [/^cmi\.learner_preference\.audio_captioning$/, "rw", vocabulary(["-1", "0", "1"])],
      [/^cmi\.objectives\.\d+\.id$/, "rw", identifier(4000)],
      [/^cmi\.objectives\.\d+\.score\.scaled$/, "rw", decimal(-1, 1)],
      [/^cmi\.objectives\.\d+\.score\.(raw|min|max)$/, "rw", decimal(null, null)],
      [/^cmi\.objectives\.\d+\.success_status$/, "rw", vocabulary(["passed", "failed", "unknown"])],
      [/^cmi\.objectives\.\d+\.completion_status$/, "rw",
        vocabulary(["completed", "incomplete", "not attempted", "unknown"])],
      [/^cmi\.objectives\.\d+\.progress_measure$/, "rw", decimal(0, 1)],
      [/^cmi\.objectives\.\d+\.description$/, "rw", text(250)],
      [/^cmi\.interactions\.\d+\.id$/, "rw", identifier(4000)],
      [/^cmi\.interactions\.\d+\.type$/, "rw", vocabulary(INTERACTION_TYPES)],
      [/^cmi\.interactions\.\d+\.objectives\.\d+\.id$/, "rw", identifier(4000)],
      [/^cmi\.interactions\.\d+\.timestamp$/, "rw", pattern(TIMESTAMP)],
      [/^cmi\.interactions\.\d+\.correct_responses\.\d+\.pattern$/, "rw", text(7800)],
      [/^cmi\.interactions\.\d+\.weighting$/, "rw", decimal(null, null)],
      [/^cmi\.interactions\.\d+\.learner_response$/, "rw", text(7800)],
      [/^cmi\.interactions\.\d+\.result$/, "rw", function (v) {
        return /^(correct|incorrect|unanticipated|neutral)$/.test(v) || DECIMAL.test(v) ? null : "type";
      }],
      [/^cmi\.interactions\.\d+\.latency$/, "rw", pattern(DURATION)],
      [/^cmi\.interactions\.\d+\.description$/, "rw", text(250)],
      [/^cmi\.comments_from_learner\.\d+\.comment$/, "rw", text(4000)],
      [/^cmi\.comments_from_learner\.\d+\.location$/, "rw", text(250)],
      [/^cmi\.comments_from_learner\.\d+\.timestamp$/, "rw", pattern(TIMESTAMP)],
      [/^cmi\.comments_from_lms\.\d+\.(comment|location|timestamp)$/, "r"],
      [/^adl\.nav\.request$/, "rw", function (v) {
        return /^(continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_)$/.test(v) ||
          /^\{target=[^}]+\}(choice|jump)$/.test(v) ? null : "type";
      }],
      [/^adl\.nav\.request_valid\.(continue|previous)$/, "r"],
      [/^adl\.nav\.request_valid\.(choice|jump)\.\{target=[^}]+\}$/, "r"]
    ]
  };

  /* ---- one LMS per version ---- */

  function createLms(spec) {
    var phase = "new"; // new -> running -> terminated
    var lastError = "0";
    var diagnostic = "";
    var values = {};
    var k;
    for (k in spec.values) values[k] = spec.values[k];
    var c = spec.codes;

    function fail(code, why) {
      lastError = code;
      diagnostic = why || "";
    }

    function ok() {
      lastError = "0";
      diagnostic = "";
    }

    function report(method, element, value, result) {
      post({
        version: spec.version,
        method: method,
        element: element === undefined ? null : String(element),
        value: value === undefined ? null : String(value),
        result: String(result),
        error: lastError
      });
    }

    function rule(element) {
      for (var i = 0; i < spec.elements.length; i++) {
        if (spec.elements[i][0].test(element)) return spec.elements[i];
      }
      return null;
    }

    function isArray(name) {
      for (var i = 0; i < spec.arrays.length; i++) {
        var a = spec.arrays[i];
        if (typeof a === "string" ? a === name : a.test(name)) return true;
      }
      return false;
    }

    function count(name) {
      var n = 0;
      var prefix = name + ".";
      for (var key in values) {
        if (key.indexOf(prefix) === 0) {
          var index = parseInt(key.slice(prefix.length), 10);
          if (!isNaN(index) && index + 1 > n) n = index + 1;
        }
      }
      return n;
    }

    function childrenOf(name) {
      var generic = name.replace(/\.\d+\./g, ".n.");
      if (spec.children[name] !== undefined) return spec.children[name];
      if (spec.children[generic] !== undefined) return spec.children[generic];
      return null;
    }

    /** An element or a category of elements (cmi.core, cmi.score) of the data model. */
    function known(name) {
      return rule(name) !== null || childrenOf(name) !== null;
    }

    function started(before, after) {
      if (phase === "new") { fail(c[before], "not initialized yet"); return false; }
      if (phase === "terminated") { fail(c[after], "the session has ended"); return false; }
      return true;
    }

    function emptyArgument(argument) {
      if (argument === undefined || argument === null || String(argument) === "") return true;
      fail(c.argument, "the argument must be an empty string");
      return false;
    }

    function initialize(argument) {
      if (phase === "running") fail(c.initTwice, "already initialized");
      else if (phase === "terminated") fail(c.initAfter, "the session has ended");
      else if (emptyArgument(argument)) { phase = "running"; ok(); return "true"; }
      return "false";
    }

    function terminate(argument) {
      if (!started("finishBefore", "finishAfter") || !emptyArgument(argument)) return "false";
      phase = "terminated";
      ok();
      return "true";
    }

    function commit(argument) {
      if (!started("commitBefore", "commitAfter") || !emptyArgument(argument)) return "false";
      ok();
      return "true";
    }

    /** The array an indexed element belongs to, when its index is past the end. */
    function badIndex(element) {
      var parts = element.split(".");
      for (var i = 1; i < parts.length; i++) {
        if (/^\d+$/.test(parts[i])) {
          var name = parts.slice(0, i).join(".");
          if (isArray(name) && parseInt(parts[i], 10) > count(name)) return name;
        }
      }
      return null;
    }

    function getValue(element) {
      if (!started("getBefore", "getAfter")) return "";
      element = element === undefined || element === null ? "" : String(element);
      if (element === "") { fail(c.emptyGet, "no element named"); return ""; }
      var match = /^(.*)\._(children|count|version)$/.exec(element);
      if (match && match[2] === "children") {
        var children = childrenOf(match[1]);
        if (children === null) { fail(known(match[1]) ? c.noChildren : c.undefinedElement, "no children"); return ""; }
        ok();
        return children;
      }
      if (match && match[2] === "count") {
        if (!isArray(match[1])) { fail(known(match[1]) ? c.noCount : c.undefinedElement, "not an array"); return ""; }
        ok();
        return String(count(match[1]));
      }
      var found = rule(element);
      if (!found) { fail(c.undefinedElement, "not in the data model"); return ""; }
      if (found[1] === "w") { fail(c.writeOnly, "write-only"); return ""; }
      if (badIndex(element)) { fail(c.indexGet, "no such index"); return ""; }
      if (values[element] === undefined) {
        if (c.notSet) { fail(c.notSet, "not set yet"); return ""; }
        ok();
        return "";
      }
      ok();
      return values[element];
    }

    function setValue(element, value) {
      if (!started("setBefore", "setAfter")) return "false";
      element = element === undefined || element === null ? "" : String(element);
      value = value === undefined || value === null ? "" : String(value);
      if (element === "") { fail(c.emptySet, "no element named"); return "false"; }
      if (/\._(children|count|version)$/.test(element)) { fail(c.keyword, "a keyword"); return "false"; }
      var found = rule(element);
      if (!found) { fail(c.undefinedElement, "not in the data model"); return "false"; }
      if (found[1] === "r") { fail(c.readOnly, "read-only"); return "false"; }
      if (badIndex(element)) { fail(c.index, "arrays are filled in order"); return "false"; }
      var item = /^(cmi\.(interactions|objectives)\.\d+)\.(.+)$/.exec(element);
      if (item && spec.version === "2004" && item[3] !== "id" && values[item[1] + ".id"] === undefined) {
        fail(c.dependency, "set the id first"); return "false";
      }
      if (item && spec.version === "2004" && /^(learner_response|correct_responses\.)/.test(item[3]) &&
          values[item[1] + ".type"] === undefined) {
        fail(c.dependency, "set the type first"); return "false";
      }
      var problem = found[2] ? found[2](value) : null;
      if (problem) { fail(problem === "range" ? c.range : c.type, "not a valid value"); return "false"; }
      values[element] = value;
      ok();
      return "true";
    }

    function errorText(code) {
      var message = spec.messages[String(code)];
      return message === undefined ? "" : message;
    }

    function errorDiagnostic(code) {
      if (code === undefined || code === null || String(code) === "" || String(code) === lastError) {
        return diagnostic || errorText(lastError);
      }
      return errorText(code);
    }

    var m = spec.methods;
    var api = { sandyqPreview: true };
    api[m.init] = function (argument) {
      var result = initialize(argument);
      report(m.init, undefined, argument, result);
      return result;
    };
    api[m.finish] = function (argument) {
      var result = terminate(argument);
      report(m.finish, undefined, argument, result);
      return result;
    };
    api[m.get] = function (element) {
      var result = getValue(element);
      report(m.get, element, undefined, result);
      return result;
    };
    api[m.set] = function (element, value) {
      var result = setValue(element, value);
      report(m.set, element, value, result);
      return result;
    };
    api[m.commit] = function (argument) {
      var result = commit(argument);
      report(m.commit, undefined, argument, result);
      return result;
    };
    api[m.error] = function () {
      report(m.error, undefined, undefined, lastError);
      return lastError;
    };
    api[m.text] = function (code) {
      var result = errorText(code);
      report(m.text, undefined, code, result);
      return result;
    };
    api[m.diagnostic] = function (code) {
      var result = errorDiagnostic(code);
      report(m.diagnostic, undefined, code, result);
      return result;
    };
    return api;
  }

  global.API = createLms(V12);
  global.API_1484_11 = createLms(V2004);
})(window);
