/*
 * Sandyq video page: captions from the page's JSON (so they show from file://,
 * where browsers refuse <track> files), a CC menu, chapters that seek, and the
 * watched time ranges that decide completion.
 *
 * Only time actually played counts: a range grows while the video plays and
 * restarts after every seek, so jumping to the end watches nothing. The state
 * {t: position, w: [[start, end], ...]} goes to the shell (SandyqPage.saveState)
 * every 10 s of playback and on pause, end and leaving; "done" is posted once
 * the watched share reaches the completion rule. Opened alone (no shell
 * answering), the page keeps its state in localStorage instead.
 */
(function () {
  "use strict";

  var video = document.getElementById("sandyq-video");
  var dataElement = document.getElementById("sandyq-video-data");
  if (!video || !dataElement) return;
  var data;
  try {
    data = JSON.parse(dataElement.textContent);
  } catch (e) {
    return;
  }

  var SAVE_EVERY_MS = 10000;
  var MAX_RANGES = 30;
  var RESTORE_WAIT_MS = 2500;
  var page = window.SandyqPage || null;
  var completion = data.completion > 0 ? data.completion : 0.9;
  var labels = data.labels || {};
  var storageKey = "sandyq-video:" + location.pathname;

  var watchedText = document.getElementById("sandyq-video-watched");
  var announce = document.getElementById("sandyq-video-announce");

  function duration() {
    var d = video.duration;
    return isFinite(d) && d > 0 ? d : data.duration || 0;
  }

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = s % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // ---- watched ranges ---------------------------------------------------------

  var ranges = []; // sorted, disjoint [start, end] pairs of played seconds

  function addRange(start, end) {
    if (!(end > start)) return;
    // Playback starts a frame or two in and may stop short of the last frame.
    if (start < 0.3) start = 0;
    var total = duration();
    if (total > 0 && end > total - 0.3) end = total;
    var merged = [];
    var placed = false;
    for (var i = 0; i < ranges.length; i++) {
      var r = ranges[i];
      if (r[1] < start - 0.3) {
        merged.push(r);
      } else if (r[0] > end + 0.3) {
        if (!placed) { merged.push([start, end]); placed = true; }
        merged.push(r);
      } else {
        start = Math.min(start, r[0]);
        end = Math.max(end, r[1]);
      }
    }
    if (!placed) merged.push([start, end]);
    ranges = merged;
  }

  function watchedSeconds() {
    var total = 0;
    for (var i = 0; i < ranges.length; i++) total += ranges[i][1] - ranges[i][0];
    return total;
  }

  /** Ranges to one decimal; when there are too many, the shortest are dropped (counts less, never more). */
  function compressed() {
    var list = ranges.slice();
    if (list.length > MAX_RANGES) {
      var keep = list.slice().sort(function (a, b) { return (b[1] - b[0]) - (a[1] - a[0]); }).slice(0, MAX_RANGES);
      list = list.filter(function (r) { return keep.indexOf(r) >= 0; });
    }
    return list.map(function (r) {
      return [Math.ceil(r[0] * 10) / 10, Math.floor(r[1] * 10) / 10];
    });
  }

  var last = null; // {media, wall}: where the current played stretch began its last step

  function mark() {
    last = { media: video.currentTime, wall: Date.now() };
  }

  /** Extends the watched ranges by the time played since the last step, never by a jump. */
  function step() {
    if (last === null || video.seeking) return;
    var now = video.currentTime;
    var media = now - last.media;
    var wall = (Date.now() - last.wall) / 1000;
    var allowed = wall * Math.max(1, video.playbackRate || 1) * 1.5 + 0.75;
    if (media > 0 && media <= allowed) addRange(last.media, now);
    mark();
  }

  // ---- state: the shell or localStorage ----------------------------------------

  var mode = "pending"; // "shell" once the shell restores us, "local" when none answers
  var dirty = false;
  var lastSave = 0;
  var resumeAt = null;
  var doneSent = false;

  function state() {
    return { t: Math.round(video.currentTime * 10) / 10, w: compressed() };
  }

  function save() {
    lastSave = Date.now();
    if (mode === "pending") { dirty = true; return; }
    if (mode === "shell") {
      page.saveState(state());
    } else {
      try {
        window.localStorage.setItem(storageKey, JSON.stringify(state()));
      } catch (e) { /* storage blocked: the page still plays, it only forgets */ }
    }
  }

  function loadLocal() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function restore(saved) {
    if (saved && typeof saved === "object") {
      var w = saved.w;
      if (w && w.length) {
        for (var i = 0; i < w.length; i++) {
          if (w[i] && typeof w[i][0] === "number" && typeof w[i][1] === "number") addRange(w[i][0], w[i][1]);
        }
      }
      if (typeof saved.t === "number" && saved.t > 1) resumeAt = saved.t;
    }
    if (resumeAt !== null) {
      if (video.readyState >= 1) seekToResume();
      else video.addEventListener("loadedmetadata", seekToResume);
    }
    update();
    if (dirty) { dirty = false; save(); }
  }

  function seekToResume() {
    video.removeEventListener("loadedmetadata", seekToResume);
    var at = resumeAt;
    resumeAt = null;
    // Only when the learner has not started elsewhere, and not at the very end.
    if (at === null || video.currentTime > 1 || at >= duration() - 2) return;
    video.currentTime = at;
    if (labels.resumed && !doneSent) say(labels.resumed.replace("{time}", clock(at)));
  }

  // The shell's answer wins even when it comes after RESTORE_WAIT_MS (a slow machine,
  // a busy LMS): the local guess only stands in until then, and ranges merge.
  function decide(newMode, saved) {
    if (mode === "shell" || (mode === "local" && newMode === "local")) return;
    mode = newMode;
    restore(saved);
    document.documentElement.setAttribute("data-sandyq-video", mode); // for tests and support
  }

  if (page && page.embedded) {
    page.onRestore(function (saved) { decide("shell", saved); });
    window.setTimeout(function () { decide("local", loadLocal()); }, RESTORE_WAIT_MS);
  } else {
    decide("local", loadLocal());
  }

  // ---- status and completion -----------------------------------------------------

  var shownPercent = -1;

  function say(text, done) {
    if (!announce) return;
    announce.textContent = text;
    announce.classList.toggle("sv-done", !!done);
  }

  function update() {
    var total = duration();
    var share = total > 0 ? Math.min(1, watchedSeconds() / total) : 0;
    var percent = Math.floor(share * 100);
    if (percent !== shownPercent && watchedText && labels.watched) {
      shownPercent = percent;
      watchedText.textContent = labels.watched.replace("{percent}", percent);
    }
    if (!doneSent && total > 0 && watchedSeconds() >= completion * total - 0.5) {
      doneSent = true;
      document.documentElement.setAttribute("data-sandyq-video-done", "true");
      if (labels.completed) say("\u2713 " + labels.completed, true);
      if (mode === "shell") page.done();
      save();
    }
  }

  // ---- playback events -----------------------------------------------------------

  video.addEventListener("playing", mark);
  video.addEventListener("seeking", function () {
    last = null;
    showCaptions();
  });
  video.addEventListener("seeked", function () {
    if (!video.paused) mark();
    showCaptions();
  });
  video.addEventListener("ratechange", function () {
    step();
  });
  video.addEventListener("timeupdate", function () {
    step();
    showCaptions();
    update();
    if (!video.paused && Date.now() - lastSave >= SAVE_EVERY_MS) save();
  });
  video.addEventListener("pause", function () {
    step();
    last = null;
    update();
    save();
  });
  video.addEventListener("ended", function () {
    step();
    last = null;
    update();
    save();
  });
  video.addEventListener("loadedmetadata", update);
  window.addEventListener("pagehide", function () {
    step();
    save();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save();
  });

  // ---- captions --------------------------------------------------------------------

  var tracks = data.captions || [];
  var box = document.getElementById("sandyq-video-captions");
  var current = null; // the caption track shown, or null
  var shownText = null;
  var PREFERENCE = "sandyq:captions";

  function showCaptions() {
    if (!box) return;
    if (!current) {
      box.hidden = true;
      shownText = null;
      return;
    }
    box.hidden = false;
    var t = video.currentTime;
    var lines = [];
    var cues = current.cues;
    for (var i = 0; i < cues.length && cues[i][0] <= t; i++) {
      if (t < cues[i][1]) lines.push(cues[i][2]);
    }
    var text = lines.join("\n");
    if (text !== shownText) {
      shownText = text;
      box.textContent = text;
    }
  }

  function trackFor(language) {
    for (var i = 0; i < tracks.length; i++) if (tracks[i].language === language) return tracks[i];
    return null;
  }

  var menuButton = document.getElementById("sandyq-cc-button");
  var menu = document.getElementById("sandyq-cc-menu");
  var currentLabel = document.getElementById("sandyq-cc-current");
  var items = menu ? Array.prototype.slice.call(menu.querySelectorAll("[role=menuitemradio]")) : [];

  function choose(language, remember) {
    current = language ? trackFor(language) : null;
    if (box) box.setAttribute("lang", current ? current.language : document.documentElement.lang);
    for (var i = 0; i < items.length; i++) {
      var on = (items[i].getAttribute("data-language") || "") === (current ? current.language : "");
      items[i].setAttribute("aria-checked", on ? "true" : "false");
      if (on && currentLabel) currentLabel.textContent = items[i].textContent;
    }
    if (remember) {
      try {
        window.localStorage.setItem(PREFERENCE, current ? current.language : "off");
      } catch (e) { /* not remembered */ }
    }
    shownText = null;
    showCaptions();
  }

  function initialLanguage() {
    var preferred = null;
    try {
      preferred = window.localStorage.getItem(PREFERENCE);
    } catch (e) { preferred = null; }
    if (preferred === "off") return null;
    if (preferred && trackFor(preferred)) return preferred;
    if (trackFor(data.lang)) return data.lang;
    return null;
  }

  // The native <track>s stay disabled (no double captions, no file:// fetch); if the
  // browser's own caption button turns one on, the choice moves to our box.
  var syncing = false;
  function quietNativeTracks() {
    var list = video.textTracks;
    if (!list) return;
    syncing = true;
    for (var i = 0; i < list.length; i++) {
      if (list[i].mode === "showing") choose(list[i].language, true);
      if (list[i].mode !== "disabled") list[i].mode = "disabled";
    }
    syncing = false;
  }
  if (video.textTracks && video.textTracks.addEventListener) {
    video.textTracks.addEventListener("change", function () {
      if (!syncing) quietNativeTracks();
    });
  }

  function openMenu(focusLast) {
    menu.hidden = false;
    menuButton.setAttribute("aria-expanded", "true");
    var checked = menu.querySelector("[aria-checked=true]");
    var target = focusLast ? items[items.length - 1] : checked || items[0];
    if (target) target.focus();
  }

  function closeMenu(focusButton) {
    menu.hidden = true;
    menuButton.setAttribute("aria-expanded", "false");
    if (focusButton) menuButton.focus();
  }

  if (menuButton && menu) {
    menuButton.addEventListener("click", function () {
      if (menu.hidden) openMenu(false);
      else closeMenu(false);
    });
    menuButton.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        openMenu(event.key === "ArrowUp");
      }
    });
    items.forEach(function (item, position) {
      item.addEventListener("click", function () {
        choose(item.getAttribute("data-language"), true);
        closeMenu(true);
      });
      item.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowDown") next = items[(position + 1) % items.length];
        else if (event.key === "ArrowUp") next = items[(position - 1 + items.length) % items.length];
        else if (event.key === "Home") next = items[0];
        else if (event.key === "End") next = items[items.length - 1];
        else if (event.key === "Escape") {
          event.preventDefault();
          closeMenu(true);
          return;
        } else if (event.key === "Tab") {
          closeMenu(false);
          return;
        } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
          event.preventDefault(); // not page navigation while the menu is open
          return;
        }
        if (next) {
          event.preventDefault();
          next.focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      if (!menu.hidden && !menu.contains(event.target) && !menuButton.contains(event.target)) closeMenu(false);
    });
  }

  // ---- chapters and full screen ---------------------------------------------------------

  var chapterButtons = Array.prototype.slice.call(document.querySelectorAll(".sv-chapter"));
  chapterButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      var start = parseFloat(button.getAttribute("data-start"));
      if (!(start >= 0)) return;
      video.currentTime = start;
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () { /* autoplay refused: stays paused */ });
    });
  });

  function markChapter() {
    var t = video.currentTime;
    var active = -1;
    for (var i = 0; i < chapterButtons.length; i++) {
      if (parseFloat(chapterButtons[i].getAttribute("data-start")) <= t + 0.05) active = i;
    }
    for (var j = 0; j < chapterButtons.length; j++) {
      if (j === active) chapterButtons[j].setAttribute("aria-current", "true");
      else chapterButtons[j].removeAttribute("aria-current");
    }
  }
  if (chapterButtons.length) {
    video.addEventListener("timeupdate", markChapter);
    video.addEventListener("seeked", markChapter);
  }

  var stage = document.getElementById("sandyq-video-stage");
  var fullscreen = document.getElementById("sandyq-fullscreen");
  if (stage && fullscreen && document.fullscreenEnabled && stage.requestFullscreen) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else stage.requestFullscreen().catch(function () { /* refused */ });
    });
  }

  quietNativeTracks();
  choose(initialLanguage(), false);
  update();
})();
