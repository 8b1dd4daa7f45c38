/*
 * Sandyq quiz page: scores the form in the page, shows feedback, and reports
 * to the player shell through window.SandyqPage (page.js): a result with
 * interactions, the resumable state (attempts used, last answers), and done
 * after the first submission. Alone (no shell) it still scores and shows
 * feedback. The data, correct answers included, is the JSON in
 * #sandyq-quiz (see scorm_builder/render/quiz.py and docs/runtime.md).
 */
(function () {
  "use strict";

  var doc = document;
  var dataEl = doc.getElementById("sandyq-quiz");
  var form = doc.getElementById("quiz-form");
  if (!dataEl || !form) return;
  var quiz;
  try {
    quiz = JSON.parse(dataEl.textContent);
  } catch (e) {
    return;
  }
  var L = quiz.labels || {};
  var shell = window.SandyqPage || null;
  var list = doc.getElementById("quiz-questions");
  var resultEl = doc.getElementById("quiz-result");
  var summaryEl = doc.getElementById("quiz-summary");
  var leftEl = doc.getElementById("quiz-attempts-left");
  var infoLeftEl = doc.getElementById("quiz-attempts");
  var retryBtn = doc.getElementById("quiz-retry");
  var submitBtn = doc.getElementById("quiz-submit");
  var stepsEl = doc.getElementById("quiz-steps");
  var prevBtn = doc.getElementById("quiz-prev");
  var nextBtn = doc.getElementById("quiz-next");
  var stepEl = doc.getElementById("quiz-step");
  var liveEl = doc.getElementById("quiz-live");

  var questions = {};
  quiz.questions.forEach(function (q) { questions[q.id] = q; });
  var attempts = quiz.attempts > 0 ? quiz.attempts : 0; // 0: unlimited
  var used = 0;
  var reviewing = false; // a result is shown and the controls are locked
  var touched = false; // the learner has answered something in this page view
  var step = 0;
  var timing = {}; // question id -> [first, last] interaction time (ms)

  function format(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? String(values[key]) : m;
    });
  }

  function each(nodes, fn) {
    Array.prototype.forEach.call(nodes, fn);
  }

  /* ---- one order for every learner: a seeded shuffle ---- */

  function mulberry32(a) {
    return function () {
      a = (a + 0x6d2b79f5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffle(items, random) {
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var x = items[i];
      items[i] = items[j];
      items[j] = x;
    }
    return items;
  }

  if (quiz.shuffle) {
    var random = mulberry32(Number(quiz.seed) || 1);
    var blocks = Array.prototype.slice.call(list.children);
    // questions move among themselves; descriptions keep their places
    var moving = shuffle(blocks.filter(function (b) { return b.tagName === "FIELDSET"; }), random);
    var k = 0;
    blocks.forEach(function (b) {
      list.appendChild(b.tagName === "FIELDSET" ? moving[k++] : b);
    });
    quiz.questions.forEach(function (q) {
      var box = q.kind === "multichoice" && list.querySelector("#q-" + q.id + " .quiz-choices");
      if (!box) return;
      shuffle(Array.prototype.slice.call(box.children), random).forEach(function (c) {
        box.appendChild(c);
      });
    });
  }
  var steps = Array.prototype.slice.call(list.children);
  var fieldsets = steps.filter(function (b) { return b.tagName === "FIELDSET"; });
  fieldsets.forEach(function (fs, i) {
    // number the questions in the order shown
    fs.querySelector(".quiz-num").textContent = i + 1 + ".";
    var legend = fs.querySelector("legend");
    if (fs.hasAttribute("aria-describedby") && legend.lastChild.nodeType === 3) {
      legend.lastChild.nodeValue = " " + format(L.question, { n: i + 1 });
    }
  });

  /* ---- reading and scoring answers ---- */

  function fieldsOf(id) {
    return form.querySelectorAll('[name="' + id + '"]');
  }

  function read(q) {
    var fields = fieldsOf(q.id);
    var picked = [];
    if (q.kind === "multichoice" || q.kind === "truefalse") {
      each(fields, function (f) {
        if (f.tagName === "SELECT") {
          if (f.value) picked.push(f.value);
        } else if (f.checked) {
          picked.push(f.value);
        }
      });
      if (q.kind === "truefalse") return picked.length ? picked[0] === "true" : null;
      return picked;
    }
    if (q.kind === "matching") {
      var pairs = [];
      each(form.querySelectorAll("#q-" + q.id + " select[data-source]"), function (s) {
        if (s.value) pairs.push([s.getAttribute("data-source"), s.value]);
      });
      return pairs;
    }
    return fields.length ? fields[0].value : "";
  }

  function write(q, value) {
    var fields = fieldsOf(q.id);
    if (q.kind === "multichoice" || q.kind === "truefalse") {
      var chosen = q.kind === "truefalse" ? (value === null ? [] : [value ? "true" : "false"]) : value || [];
      each(fields, function (f) {
        if (f.tagName === "SELECT") f.value = chosen[0] || "";
        else f.checked = chosen.indexOf(f.value) >= 0;
      });
    } else if (q.kind === "matching") {
      var map = {};
      (value || []).forEach(function (p) { map[p[0]] = p[1]; });
      each(form.querySelectorAll("#q-" + q.id + " select[data-source]"), function (s) {
        s.value = map[s.getAttribute("data-source")] || "";
      });
    } else if (fields.length) {
      fields[0].value = typeof value === "string" ? value : "";
    }
  }

  function normalText(text) {
    return String(text || "").replace(/\s+/g, " ").trim().toLocaleLowerCase(quiz.lang || undefined);
  }

  function textMatches(pattern, given) {
    pattern = normalText(pattern);
    if (pattern.indexOf("*") < 0) return pattern === given;
    var parts = pattern.split("*").map(function (p) { return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp("^" + parts.join(".*") + "$").test(given);
  }

  /** A number written with "," or "." as the decimal mark, or null. */
  function parseNumber(text) {
    var s = String(text || "").replace(/[\s\u00a0\u202f]/g, "").replace(",", ".").replace(/^\u2212/, "-");
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : null;
  }

  function clamp(x) {
    return Math.max(0, Math.min(1, x));
  }

  /** {fraction (0..1, or null: not graded), feedback: [keys], response (neutral)} */
  function grade(q, value) {
    var out = { fraction: 0, feedback: [], response: value };
    if (q.kind === "multichoice") {
      var sum = 0;
      q.choices.forEach(function (c) {
        if (value.indexOf(c[0]) >= 0) {
          sum += c[1];
          out.feedback.push(c[0]);
        }
      });
      out.fraction = value.length ? clamp(sum) : 0;
    } else if (q.kind === "truefalse") {
      out.fraction = value === q.truth ? 1 : 0;
      if (value !== null) out.feedback.push(value ? "true" : "false");
    } else if (q.kind === "shortanswer") {
      var given = normalText(value);
      var best = -1;
      q.answers.forEach(function (a, i) {
        if (given && textMatches(a[0], given) && a[1] > best) {
          best = a[1];
          out.feedback = [i];
        }
      });
      out.fraction = clamp(best);
      out.response = String(value || "").trim();
    } else if (q.kind === "numerical") {
      var x = parseNumber(value);
      var top = -1;
      if (x !== null) {
        q.numbers.forEach(function (n, i) {
          var eps = 1e-9 * Math.max(1, Math.abs(x));
          var inside = n.any || ((n.min === null || x >= n.min - eps) && (n.max === null || x <= n.max + eps));
          if (inside && n.fraction > top) {
            top = n.fraction;
            out.feedback = [i];
          }
        });
      }
      out.fraction = clamp(top);
      out.response = x === null ? "" : String(x);
    } else if (q.kind === "matching") {
      var right = 0;
      q.pairs.forEach(function (p) {
        value.forEach(function (v) {
          if (v[0] === p[0] && v[1] === p[1]) right++;
        });
      });
      out.fraction = q.pairs.length ? right / q.pairs.length : 0;
    } else {
      out.fraction = null; // essay: the teacher marks it
    }
    return out;
  }

  function round2(x) {
    return Math.round(x * 100) / 100;
  }

  /** A number for people: a decimal comma in kk and ru (5,56), a point in en. */
  function show(x) {
    var text = String(round2(x));
    return quiz.lang === "en" ? text : text.replace(".", ",");
  }

  function answers() {
    var r = {};
    quiz.questions.forEach(function (q) {
      if (q.kind !== "description") r[q.id] = read(q);
    });
    return r;
  }

  function evaluate(given) {
    var raw = 0;
    var max = 0;
    var graded = {};
    quiz.questions.forEach(function (q) {
      if (q.kind === "description") return;
      var value = q.id in given ? given[q.id] : null;
      if (value === null && q.kind !== "truefalse") value = q.kind === "multichoice" || q.kind === "matching" ? [] : "";
      var g = grade(q, value);
      graded[q.id] = g;
      if (g.fraction !== null && q.points > 0) {
        raw += g.fraction * q.points;
        max += q.points;
      }
    });
    var percent = max > 0 ? round2((raw / max) * 100) : null;
    var passing = typeof quiz.passingScore === "number" ? quiz.passingScore : null;
    return {
      graded: graded,
      raw: Math.round(raw * 10000) / 10000,
      max: Math.round(max * 10000) / 10000,
      percent: percent,
      passed: percent !== null && passing !== null ? percent >= passing : null
    };
  }

  /* ---- showing results ---- */

  function setLocked(locked) {
    each(form.querySelectorAll("input, select, textarea"), function (f) {
      f.disabled = locked;
    });
    submitBtn.hidden = locked;
  }

  function attemptsLeft() {
    return attempts ? Math.max(0, attempts - used) : Infinity;
  }

  function markText(q, g) {
    if (g.fraction === null) return L.not_graded;
    var word = g.fraction >= 1 ? L.correct : g.fraction > 0 ? L.partial : L.incorrect;
    return word + " \u00b7 " + format(L.points, { score: show(g.fraction * q.points), max: show(q.points) });
  }

  function showFeedback(outcome) {
    fieldsets.forEach(function (fs) {
      var q = questions[fs.getAttribute("data-qid")];
      var g = outcome.graded[q.id];
      var mark = fs.querySelector(".quiz-mark");
      var state = g.fraction === null ? "neutral" : g.fraction >= 1 ? "correct" : g.fraction > 0 ? "partial" : "incorrect";
      fs.setAttribute("data-result", state);
      mark.textContent = markText(q, g);
      mark.hidden = false;
      each(fs.querySelectorAll("[data-feedback]"), function (f) {
        f.hidden = g.feedback.map(String).indexOf(f.getAttribute("data-feedback")) < 0;
      });
      var general = fs.querySelector(".quiz-general");
      if (general) general.hidden = false;
    });
  }

  function hideFeedback() {
    fieldsets.forEach(function (fs) {
      fs.removeAttribute("data-result");
      fs.querySelector(".quiz-mark").hidden = true;
      each(fs.querySelectorAll("[data-feedback], .quiz-general"), function (f) {
        f.hidden = true;
      });
    });
  }

  function summaryText(outcome) {
    var parts = [];
    if (outcome.percent !== null) {
      parts.push(L.score + ": " + show(outcome.percent) + "% (" + format(L.points, { score: show(outcome.raw), max: show(outcome.max) }) + ")");
    }
    if (outcome.passed !== null) parts.push(outcome.passed ? L.passed : L.failed);
    if (typeof quiz.passingScore === "number") parts.push(format(L.passing_score, { n: quiz.passingScore }));
    return parts.join(". ");
  }

  function leftText() {
    if (!attempts) return "";
    var left = attemptsLeft();
    return left > 0 ? format(L.attempts_left, { n: left }) : L.no_attempts_left;
  }

  function showResult(outcome, announce) {
    reviewing = true;
    setLocked(true);
    showFeedback(outcome);
    showSteps(false);
    summaryEl.textContent = summaryText(outcome);
    resultEl.setAttribute("data-passed", outcome.passed === null ? "none" : String(outcome.passed));
    leftEl.textContent = leftText();
    leftEl.hidden = !attempts;
    if (infoLeftEl) infoLeftEl.textContent = leftText();
    retryBtn.hidden = attemptsLeft() <= 0;
    resultEl.hidden = false;
    if (announce) {
      resultEl.focus();
      liveEl.textContent = summaryEl.textContent;
    }
  }

  /* ---- one question at a time ---- */

  function showSteps(on) {
    var stepping = on && quiz.oneAtATime && steps.length > 1;
    steps.forEach(function (b, i) {
      b.hidden = stepping && i !== step;
    });
    stepsEl.hidden = !stepping;
    stepEl.hidden = !stepping;
    if (!stepping) return;
    prevBtn.disabled = step === 0;
    nextBtn.disabled = step === steps.length - 1;
    submitBtn.hidden = step !== steps.length - 1;
    stepEl.textContent = format(L.question_of, { current: step + 1, total: steps.length });
  }

  function goStep(to) {
    if (to < 0 || to >= steps.length) return;
    step = to;
    showSteps(true);
    var target = steps[step];
    if (target.tagName === "FIELDSET") target.focus();
    else (to > 0 ? prevBtn : nextBtn).focus();
  }

  prevBtn.addEventListener("click", function () { goStep(step - 1); });
  nextBtn.addEventListener("click", function () { goStep(step + 1); });

  /* ---- attempts ---- */

  function state(given) {
    var s = { a: used, r: given };
    // keep the state small: the shell drops states that do not fit the suspend data
    if (JSON.stringify(s).length > 3000) {
      var r = {};
      for (var id in given) {
        if (Object.prototype.hasOwnProperty.call(given, id)) {
          r[id] = typeof given[id] === "string" ? given[id].slice(0, 100) : given[id];
        }
      }
      s.r = r;
    }
    return s;
  }

  function interactionsOf(outcome, now) {
    var items = [];
    quiz.questions.forEach(function (q) {
      var g = outcome.graded[q.id];
      if (!g || !q.type) return;
      var item = {
        id: q.id,
        type: q.type,
        response: g.response,
        correct: q.correct,
        result: g.fraction === null ? "neutral" : g.fraction >= 1 ? "correct" : "incorrect",
        description: q.description
      };
      if (g.fraction !== null) item.weighting = q.points;
      var t = timing[q.id];
      if (t) item.latency = Math.max(0, (t[1] || now) - t[0]);
      items.push(item);
    });
    return items;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (reviewing || attemptsLeft() <= 0) return;
    var given = answers();
    var outcome = evaluate(given);
    used++;
    showResult(outcome, true);
    if (!shell) return;
    shell.result({
      score: outcome.max > 0 ? { raw: outcome.raw, min: 0, max: outcome.max } : null,
      passed: outcome.passed,
      interactions: interactionsOf(outcome, Date.now())
    });
    shell.saveState(state(given));
    shell.done(); // done once submitted: completion; passing is the success status
  });

  retryBtn.addEventListener("click", function () {
    if (attemptsLeft() <= 0) return;
    reviewing = false;
    touched = false;
    timing = {};
    form.reset();
    hideFeedback();
    setLocked(false);
    resultEl.hidden = true;
    step = 0;
    showSteps(true);
    var first = form.querySelector("input, select, textarea");
    if (first) first.focus();
  });

  function noteTime(event) {
    var fs = event.target.closest && event.target.closest("fieldset[data-qid]");
    if (!fs) return;
    var id = fs.getAttribute("data-qid");
    var now = Date.now();
    if (!timing[id]) timing[id] = [now, 0];
    if (event.type !== "focusin") {
      timing[id][1] = now;
      touched = true;
    }
  }
  form.addEventListener("focusin", noteTime);
  form.addEventListener("input", noteTime);
  form.addEventListener("change", noteTime);

  /* ---- resume ---- */

  if (shell) {
    shell.onRestore(function (saved) {
      if (!saved || typeof saved !== "object" || !(saved.a > 0) || touched || reviewing) return;
      used = Math.floor(saved.a);
      var given = saved.r && typeof saved.r === "object" ? saved.r : {};
      quiz.questions.forEach(function (q) {
        if (q.id in given) write(q, given[q.id]);
      });
      showResult(evaluate(given), false);
    });
  }

  showSteps(true);
})();
