/*
 * Sandyq's offline library: browse, search and play the resources of a library folder
 * opened from file:// (a USB stick, a school computer), keep each pupil's progress and
 * export the class's results. Plain ES2017, no network: the data is window.SANDYQ_LIBRARY,
 * set by library/data.js (docs/offline-library.md).
 *
 * localStorage (every file:// page shares it in Chromium):
 *   sandyq:...                                 the packages' own progress (the live copy)
 *   sandyq-library:<id>:lang                   the page's language
 *   sandyq-library:<id>:pupils                 the class list, [{id, name}]
 *   sandyq-library:<id>:pupil:<pupil id>       a pupil's copy of the sandyq: keys {key: value}
 *   sandyq-library:<id>:played:<pupil id>      {resource uuid: "YYYY-MM-DD"} last played
 *   sandyq-library:<id>:keys                   {sandyq: key: resource uuid} which resource
 *                                              wrote a key (learnt while it plays)
 *   sandyq-library:<id>:school                 the school the teacher typed
 *   sandyq-library:live                        {library, pupil}: whose copy the live
 *                                              sandyq: keys are (any library on this computer)
 */
(function () {
  "use strict";

  var PROGRESS = "sandyq:";
  var LIVE = "sandyq-library:live";
  var GUEST = "guest";

  var STRINGS = {
    kk: {
      title: "Офлайн кітапхана",
      tagline: "Сандық білім ресурстары интернетсіз",
      skip: "Негізгі мазмұнға өту",
      language: "Тіл",
      navigation: "Бөлімдер",
      navLibrary: "Кітапхана",
      navTeacher: "Мұғалімге",
      resources: "Ресурстар",
      who: "Кім оқиды?",
      guest: "Қонақ",
      search: "Іздеу",
      searchHint: "Сөздің басын жазсаңыз жеткілікті",
      subject: "Пән",
      grade: "Сынып",
      allSubjects: "Барлық пәндер",
      allGrades: "Барлық сыныптар",
      count: "Табылған ресурстар: {n}",
      nothing: "Ештеңе табылмады. Басқа сөзбен іздеп көріңіз немесе пән мен сыныпты өзгертіңіз.",
      approved: "Эксперттік кеңес мақұлдады",
      published: "Жарияланды",
      licence: "Лицензия",
      open: "Ашу",
      back: "Кітапханаға оралу",
      learner: "Оқушы",
      teacherTitle: "Мұғалімге",
      classList: "Сынып тізімі",
      pupilName: "Оқушының аты",
      add: "Қосу",
      added: "Қосылды: {name}",
      removed: "Өшірілді: {name}",
      nameNeeded: "Оқушының атын жазыңыз.",
      remove: "Өшіру",
      noPupils: "Тізім әзірге бос.",
      results: "Сынып нәтижелері",
      resultsCaption: "Оқушылар мен ресурстар: аяқталғаны және балл",
      pupil: "Оқушы",
      noResults: "Әзірге нәтиже жоқ.",
      completed: "Аяқталды",
      started: "Басталды",
      notPlayed: "Ашылмаған",
      passed: "өтті",
      notPassed: "өтпеді",
      score: "балл",
      school: "Мектеп",
      includeNames: "Оқушылардың аттарын файлға қосу",
      exportHint: "Файлды каталогтағы «Менің ресурстарым» бетіне жүктеңіз.",
      export: "Нәтижелерді жүктеп алу",
      exported: "Нәтижелер файлы дайын: {file}",
      exportFailed: "Файл жасалмады: бұл браузерде SHA-256 жоқ.",
      updated: "Жаңартылды",
      resourcesCount: "ресурс",
      noData: "Кітапхана деректері табылмады (library/data.js).",
      noStorage: "Бұл браузер прогресті сақтай алмайды: сабақтар ашылады, бірақ оқушының орны есте қалмайды.",
      saveFailed: "Прогресс сақталмады: браузердің жады толы."
    },
    ru: {
      title: "Офлайн-библиотека",
      tagline: "Цифровые образовательные ресурсы без интернета",
      skip: "Перейти к основному содержанию",
      language: "Язык",
      navigation: "Разделы",
      navLibrary: "Библиотека",
      navTeacher: "Для учителя",
      resources: "Ресурсы",
      who: "Кто учится?",
      guest: "Гость",
      search: "Поиск",
      searchHint: "Достаточно начала слова",
      subject: "Предмет",
      grade: "Класс",
      allSubjects: "Все предметы",
      allGrades: "Все классы",
      count: "Найдено ресурсов: {n}",
      nothing: "Ничего не найдено. Попробуйте другое слово или измените предмет и класс.",
      approved: "Одобрено экспертным советом",
      published: "Опубликовано",
      licence: "Лицензия",
      open: "Открыть",
      back: "Вернуться в библиотеку",
      learner: "Ученик",
      teacherTitle: "Для учителя",
      classList: "Список класса",
      pupilName: "Имя ученика",
      add: "Добавить",
      added: "Добавлен(а): {name}",
      removed: "Удалён(а): {name}",
      nameNeeded: "Напишите имя ученика.",
      remove: "Удалить",
      noPupils: "Список пока пуст.",
      results: "Результаты класса",
      resultsCaption: "Ученики и ресурсы: завершение и балл",
      pupil: "Ученик",
      noResults: "Пока нет результатов.",
      completed: "Завершено",
      started: "Начато",
      notPlayed: "Не открывал(а)",
      passed: "сдано",
      notPassed: "не сдано",
      score: "балл",
      school: "Школа",
      includeNames: "Включить в файл имена учеников",
      exportHint: "Загрузите файл в каталог на странице «Мои ресурсы».",
      export: "Скачать результаты",
      exported: "Файл результатов готов: {file}",
      exportFailed: "Файл не создан: в этом браузере нет SHA-256.",
      updated: "Обновлено",
      resourcesCount: "ресурсов",
      noData: "Данные библиотеки не найдены (library/data.js).",
      noStorage: "Этот браузер не может сохранять прогресс: уроки открываются, но место ученика не запоминается.",
      saveFailed: "Прогресс не сохранён: память браузера заполнена."
    },
    en: {
      title: "Offline library",
      tagline: "Digital educational resources without internet",
      skip: "Skip to main content",
      language: "Language",
      navigation: "Sections",
      navLibrary: "Library",
      navTeacher: "For the teacher",
      resources: "Resources",
      who: "Who is learning?",
      guest: "Guest",
      search: "Search",
      searchHint: "The beginning of a word is enough",
      subject: "Subject",
      grade: "Grade",
      allSubjects: "All subjects",
      allGrades: "All grades",
      count: "Resources found: {n}",
      nothing: "Nothing found. Try another word or change the subject and grade.",
      approved: "Approved by the expert council",
      published: "Published",
      licence: "Licence",
      open: "Open",
      back: "Back to the library",
      learner: "Pupil",
      teacherTitle: "For the teacher",
      classList: "Class list",
      pupilName: "Pupil's name",
      add: "Add",
      added: "Added: {name}",
      removed: "Removed: {name}",
      nameNeeded: "Type the pupil's name.",
      remove: "Remove",
      noPupils: "The list is empty.",
      results: "Class results",
      resultsCaption: "Pupils and resources: completion and score",
      pupil: "Pupil",
      noResults: "No results yet.",
      completed: "Completed",
      started: "Started",
      notPlayed: "Not opened",
      passed: "passed",
      notPassed: "not passed",
      score: "score",
      school: "School",
      includeNames: "Include the pupils' names in the file",
      exportHint: "Upload the file to the catalogue on “My resources”.",
      export: "Export results",
      exported: "The results file is ready: {file}",
      exportFailed: "No file: this browser has no SHA-256.",
      updated: "Updated",
      resourcesCount: "resources",
      noData: "The library's data was not found (library/data.js).",
      noStorage: "This browser cannot keep progress: lessons open, but a pupil's place is not remembered.",
      saveFailed: "Progress not saved: the browser's storage is full."
    }
  };
  // the page's languages are the ones it has words for, Kazakh first
  var LANGS = Object.keys(STRINGS);

  var data = window.SANDYQ_LIBRARY;
  var lang = "kk";
  var pupilId = GUEST; // who is learning
  var playing = null; // {resource, opener, snapshot} while the player is open
  var view = "library";

  function $(id) {
    return document.getElementById(id);
  }

  function t(key, values) {
    var text = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.en[key] || key;
    if (values) {
      Object.keys(values).forEach(function (name) {
        text = text.split("{" + name + "}").join(String(values[name]));
      });
    }
    return text;
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* ---- storage, every access guarded ---- */

  var storageWorks = (function () {
    try {
      var probe = "sandyq-library:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return true;
    } catch (e) {
      return false;
    }
  })();

  function lsGet(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function lsSet(key, value) {
    try {
      window.localStorage.setItem(key, value);
      return true;
    } catch (e) {
      return false;
    }
  }

  function lsRemove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      /* nothing to do */
    }
  }

  function lsKeys() {
    var keys = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) keys.push(window.localStorage.key(i));
    } catch (e) {
      return [];
    }
    return keys;
  }

  function readJson(key, fallback) {
    var raw = lsGet(key);
    if (!raw) return fallback;
    try {
      var value = JSON.parse(raw);
      return value === null || value === undefined ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  function writeJson(key, value) {
    var ok = lsSet(key, JSON.stringify(value));
    if (!ok && storageWorks) showNotice(t("saveFailed"));
    return ok;
  }

  function own(name) {
    return "sandyq-library:" + data.id + ":" + name;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* ---- pupils ---- */

  function pupils() {
    var list = readJson(own("pupils"), []);
    if (!Array.isArray(list)) return [];
    return list.filter(function (p) {
      return isObject(p) && typeof p.id === "string" && typeof p.name === "string";
    });
  }

  function savePupils(list) {
    writeJson(own("pupils"), list);
  }

  function pupilName(id) {
    if (id === GUEST) return t("guest");
    var found = pupils().filter(function (p) {
      return p.id === id;
    })[0];
    return found ? found.name : t("guest");
  }

  function newPupilId(taken) {
    for (;;) {
      var bytes = new Uint8Array(3);
      window.crypto.getRandomValues(bytes);
      var id = "p-" + Array.prototype.map.call(bytes, function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      }).join("");
      if (taken.indexOf(id) < 0 && id !== GUEST) return id;
    }
  }

  /* ---- progress: the live sandyq: keys and each pupil's copy ---- */

  function liveKeys() {
    return lsKeys().filter(function (key) {
      return key && key.indexOf(PROGRESS) === 0;
    });
  }

  function liveCopy() {
    var copy = {};
    liveKeys().forEach(function (key) {
      var value = lsGet(key);
      if (value !== null) copy[key] = value;
    });
    return copy;
  }

  function isRuntimeEntry(value) {
    try {
      var parsed = JSON.parse(value);
      return isObject(parsed) && ("status" in parsed || "location" in parsed);
    } catch (e) {
      return false;
    }
  }

  /** Saves the live sandyq: keys into the copy of whoever they belong to. */
  function saveLive() {
    var owner = readJson(LIVE, null);
    if (!isObject(owner) || typeof owner.library !== "string" || typeof owner.pupil !== "string") {
      return;
    }
    var copy = liveCopy();
    var key = "sandyq-library:" + owner.library + ":pupil:" + owner.pupil;
    writeJson(key, copy);
    if (owner.library === data.id && playing) learnKeys(copy);
  }

  /** Which resource wrote which key: those that changed while it played are its own. */
  function learnKeys(copy) {
    var known = readJson(own("keys"), {});
    if (!isObject(known)) known = {};
    var changed = false;
    Object.keys(copy).forEach(function (key) {
      var value = copy[key];
      if (playing.snapshot[key] === value || !isRuntimeEntry(value)) return;
      if (known[key] !== playing.resource.uuid) {
        known[key] = playing.resource.uuid;
        changed = true;
      }
    });
    if (changed) writeJson(own("keys"), known);
  }

  /** Puts pupil ``id``'s copy in place of the live keys; returns what it put. */
  function restore(id) {
    saveLive();
    liveKeys().forEach(lsRemove);
    var copy = readJson(own("pupil:" + id), {});
    if (!isObject(copy)) copy = {};
    Object.keys(copy).forEach(function (key) {
      if (key.indexOf(PROGRESS) === 0 && typeof copy[key] === "string") lsSet(key, copy[key]);
    });
    writeJson(LIVE, { library: data.id, pupil: id });
    return liveCopy();
  }

  function today() {
    var now = new Date();
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function markPlayed(id, uuid) {
    var played = readJson(own("played:" + id), {});
    if (!isObject(played)) played = {};
    played[uuid] = today();
    writeJson(own("played:" + id), played);
  }

  /* ---- search ---- */

  var SPLIT = (function () {
    try {
      return new RegExp("[^\\p{L}\\p{M}\\p{N}]+", "u");
    } catch (e) {
      return null;
    }
  })();
  var MARK = (function () {
    try {
      return new RegExp("[^\\p{L}\\p{N}]", "gu");
    } catch (e) {
      return /[\u0300-\u036f]/g;
    }
  })();

  function isWordChar(ch) {
    return /[0-9]/.test(ch) || ch.toLowerCase() !== ch.toUpperCase();
  }

  function splitWords(text) {
    if (SPLIT) return text.split(SPLIT).filter(Boolean);
    var words = [];
    var word = "";
    for (var ch of text) {
      if (isWordChar(ch) || /[\u0300-\u036f]/.test(ch)) word += ch;
      else if (word) {
        words.push(word);
        word = "";
      }
    }
    if (word) words.push(word);
    return words;
  }

  var digraphs = null;
  function digraphPattern() {
    if (digraphs === null) {
      var table = isObject(data.digraphs) ? data.digraphs : {};
      var keys = Object.keys(table).sort(function (a, b) {
        return b.length - a.length;
      });
      digraphs = keys.length
        ? { table: table, pattern: new RegExp(keys.map(function (k) {
          return k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        }).join("|"), "g") }
        : false;
    }
    return digraphs;
  }

  /** A word's search key: lower-cased, each character through data.fold. */
  function foldWord(word) {
    var table = isObject(data.fold) ? data.fold : {};
    var out = "";
    for (var ch of word.toLowerCase()) {
      out += Object.prototype.hasOwnProperty.call(table, ch) ? table[ch] : ch;
    }
    if (out.normalize) out = out.normalize("NFKD");
    out = out.replace(MARK, "");
    var d = digraphPattern();
    if (d) out = out.replace(d.pattern, function (found) {
      return d.table[found];
    });
    return out;
  }

  function queryKeys(query) {
    return splitWords(query).map(foldWord).filter(Boolean);
  }

  function matches(resource, keys) {
    if (!keys.length) return true;
    var words = String(resource.search || "").split(/\s+/).filter(Boolean);
    return keys.every(function (key) {
      return words.some(function (word) {
        return word.indexOf(key) === 0;
      });
    });
  }

  /* ---- names in the page's language ---- */

  /** {text, lang} of a {kk, ru, en} name: the page's language, else any there is. */
  function localized(names, preferred) {
    if (typeof names === "string") return { text: names, lang: null };
    if (!isObject(names)) return { text: "", lang: null };
    var order = [lang, preferred].concat(LANGS).concat(Object.keys(names));
    for (var i = 0; i < order.length; i++) {
      var code = order[i];
      if (code && typeof names[code] === "string" && names[code].trim()) {
        return { text: names[code], lang: code };
      }
    }
    return { text: "", lang: null };
  }

  function subjectName(key) {
    var names = isObject(data.subjects) ? data.subjects[key] : null;
    return localized(names).text || key;
  }

  function gradeName(grade) {
    var names = isObject(data.grades) ? data.grades[String(grade)] : null;
    return localized(names).text || String(grade);
  }

  function titleOf(resource) {
    var title = localized(resource.title, resource.language);
    if (!title.text) title = { text: resource.uuid, lang: null };
    return title;
  }

  function langAttribute(code) {
    return code && code !== lang ? code : null;
  }

  function formatDate(iso) {
    var match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
    if (!match) return { text: String(iso || ""), datetime: null };
    var datetime = match[1] + "-" + match[2] + "-" + match[3];
    var text = lang === "en" ? datetime : match[3] + "." + match[2] + "." + match[1];
    return { text: text, datetime: datetime };
  }

  /* ---- the library: filters, search, cards ---- */

  function resources() {
    return Array.isArray(data.resources) ? data.resources.filter(isObject) : [];
  }

  function fillSelect(select, options, current) {
    select.textContent = "";
    options.forEach(function (option) {
      select.appendChild(el("option", { value: option.value, text: option.text }));
    });
    select.value = options.some(function (o) {
      return o.value === current;
    }) ? current : "";
  }

  function renderFilters() {
    var subjects = [];
    var grades = [];
    resources().forEach(function (r) {
      if (r.subject && subjects.indexOf(r.subject) < 0) subjects.push(r.subject);
      (Array.isArray(r.grades) ? r.grades : []).forEach(function (g) {
        if (grades.indexOf(g) < 0) grades.push(g);
      });
    });
    var subjectOptions = subjects.map(function (key) {
      return { value: key, text: subjectName(key) };
    }).sort(function (a, b) {
      return a.text.localeCompare(b.text, lang);
    });
    grades.sort(function (a, b) {
      return a - b;
    });
    fillSelect($("subject"), [{ value: "", text: t("allSubjects") }].concat(subjectOptions), $("subject").value);
    fillSelect($("grade"), [{ value: "", text: t("allGrades") }].concat(grades.map(function (g) {
      return { value: String(g), text: gradeName(g) };
    })), $("grade").value);
  }

  function renderPupilChoice() {
    var select = $("pupil");
    var options = [{ value: GUEST, text: t("guest") }].concat(pupils().map(function (p) {
      return { value: p.id, text: p.name };
    }));
    if (!options.some(function (o) {
      return o.value === pupilId;
    })) pupilId = GUEST;
    fillSelect(select, options, pupilId);
    select.value = pupilId;
  }

  function card(resource) {
    var title = titleOf(resource);
    var description = localized(resource.description, title.lang || resource.language);
    var licence = localized(resource.license_name);
    var published = formatDate(resource.published_at);
    var grades = (Array.isArray(resource.grades) ? resource.grades : []).map(gradeName).join(", ");
    var titleId = "r-" + resource.uuid + "-title";
    var button = el("button", {
      type: "button",
      class: "button primary open",
      "data-uuid": resource.uuid,
      "aria-label": t("open") + ": " + title.text
    }, [t("open")]);
    button.addEventListener("click", function () {
      openResource(resource, button);
    });
    var facts = el("dl", { class: "facts" }, [
      el("div", {}, [el("dt", { text: t("subject") }), el("dd", { text: subjectName(resource.subject) })]),
      grades ? el("div", {}, [el("dt", { text: t("grade") }), el("dd", { text: grades })]) : null,
      el("div", {}, [el("dt", { text: t("licence") }), el("dd", {}, [
        el("span", { lang: langAttribute(licence.lang), text: licence.text || String(resource.license || "") })
      ])])
    ]);
    var council = el("p", { class: "council" }, [
      el("span", { class: "tick", "aria-hidden": "true", text: "✓ " }),
      t("approved"),
      ". " + t("published") + ": ",
      el("time", { datetime: published.datetime, text: published.text })
    ]);
    return el("li", { class: "card" }, [
      el("article", { "aria-labelledby": titleId }, [
        el("h3", { id: titleId, lang: langAttribute(title.lang), text: title.text }),
        facts,
        description.text
          ? el("p", { class: "description", lang: langAttribute(description.lang), text: description.text })
          : null,
        council,
        el("p", { class: "actions" }, [button])
      ])
    ]);
  }

  function renderCards() {
    var keys = queryKeys($("q").value);
    var subject = $("subject").value;
    var grade = $("grade").value;
    var found = resources().filter(function (r) {
      if (subject && r.subject !== subject) return false;
      if (grade && !(Array.isArray(r.grades) && r.grades.map(String).indexOf(grade) >= 0)) return false;
      return matches(r, keys);
    });
    found.sort(function (a, b) {
      return titleOf(a).text.localeCompare(titleOf(b).text, lang);
    });
    var list = $("cards");
    list.textContent = "";
    found.forEach(function (r) {
      list.appendChild(card(r));
    });
    $("count").textContent = t("count", { n: found.length });
    $("nothing").hidden = found.length > 0;
  }

  /* ---- the player ---- */

  function openResource(resource, opener) {
    if (playing) closePlayer(false);
    var snapshot = restore(pupilId);
    playing = { resource: resource, opener: opener ? opener.getAttribute("data-uuid") : null, snapshot: snapshot };
    markPlayed(pupilId, resource.uuid);
    var title = titleOf(resource);
    var heading = $("player-title");
    heading.textContent = title.text;
    if (langAttribute(title.lang)) heading.setAttribute("lang", title.lang);
    else heading.removeAttribute("lang");
    $("player-pupil").textContent = t("learner") + ": " + pupilName(pupilId);
    var frame = el("iframe", {
      id: "player-frame",
      src: resource.launch,
      title: title.text,
      lang: langAttribute(title.lang),
      allow: "fullscreen",
      allowfullscreen: true
    });
    var box = $("player-box");
    box.textContent = "";
    box.appendChild(frame);
    show("player");
    heading.focus();
  }

  /** Closes the player (its page unloads first, then its keys are saved). */
  function closePlayer(restoreFocus) {
    if (!playing) return;
    $("player-box").textContent = "";
    saveLive();
    var opener = playing.opener;
    playing = null;
    if (restoreFocus) {
      show("library");
      var button = opener && document.querySelector("button.open[data-uuid='" + cssEscape(opener) + "']");
      if (button) button.focus();
      else $("library-title").focus();
    }
  }

  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : String(text).replace(/['\\]/g, "\\$&");
  }

  /* ---- views ---- */

  function show(name) {
    view = name;
    $("view-library").hidden = name !== "library";
    $("view-player").hidden = name !== "player";
    $("view-teacher").hidden = name !== "teacher";
    document.body.setAttribute("data-view", name);
    var current = name === "teacher" ? "nav-teacher" : "nav-library";
    ["nav-library", "nav-teacher"].forEach(function (id) {
      if (id === current) $(id).setAttribute("aria-current", "page");
      else $(id).removeAttribute("aria-current");
    });
  }

  function route(focus) {
    var hash = window.location.hash;
    if (hash !== "#teacher" && hash !== "#library" && hash !== "") return;
    if (playing) closePlayer(false);
    if (hash === "#teacher") {
      saveLive();
      renderTeacher();
      show("teacher");
      if (focus) $("teacher-title").focus();
    } else {
      renderCards();
      show("library");
      if (focus) $("library-title").focus();
    }
  }

  /* ---- the teacher's page ---- */

  function renderPupilList() {
    var list = $("pupil-list");
    list.textContent = "";
    var all = pupils();
    $("pupils-empty").hidden = all.length > 0;
    all.forEach(function (p) {
      var button = el("button", {
        type: "button",
        class: "button small",
        "data-remove": p.id,
        "aria-label": t("remove") + ": " + p.name
      }, [t("remove")]);
      button.addEventListener("click", function () {
        removePupil(p.id);
      });
      list.appendChild(el("li", { "data-pupil": p.id }, [el("span", { class: "name", text: p.name }), button]));
    });
  }

  function addPupil(event) {
    event.preventDefault();
    var input = $("pupil-name");
    var name = input.value.replace(/\s+/g, " ").trim();
    if (!name) {
      $("pupil-status").textContent = t("nameNeeded");
      input.focus();
      return;
    }
    var list = pupils();
    list.push({ id: newPupilId(list.map(function (p) {
      return p.id;
    })), name: name });
    savePupils(list);
    input.value = "";
    input.focus();
    $("pupil-status").textContent = t("added", { name: name });
    renderPupilList();
    renderPupilChoice();
    renderResults();
  }

  function removePupil(id) {
    var list = pupils();
    var gone = list.filter(function (p) {
      return p.id === id;
    })[0];
    savePupils(list.filter(function (p) {
      return p.id !== id;
    }));
    var owner = readJson(LIVE, null);
    if (isObject(owner) && owner.library === data.id && owner.pupil === id) {
      liveKeys().forEach(lsRemove);
      lsRemove(LIVE);
    }
    lsRemove(own("pupil:" + id));
    lsRemove(own("played:" + id));
    if (pupilId === id) pupilId = GUEST;
    $("pupil-status").textContent = t("removed", { name: gone ? gone.name : id });
    renderPupilList();
    renderPupilChoice();
    renderResults();
    var next = document.querySelector("#pupil-list button");
    (next || $("pupil-name")).focus();
  }

  function parseEntry(value) {
    try {
      var parsed = JSON.parse(value);
      return isObject(parsed) ? parsed : null;
    } catch (e) {
      return null;
    }
  }

  function percent(score) {
    if (!isObject(score)) return null;
    var raw = Number(score.raw);
    var min = score.min === undefined || score.min === null ? 0 : Number(score.min);
    var max = score.max === undefined || score.max === null ? 100 : Number(score.max);
    if (!isFinite(raw) || !isFinite(min) || !isFinite(max) || max <= min) return null;
    return Math.max(0, Math.min(100, Math.round(((raw - min) / (max - min)) * 100)));
  }

  /** Pupil × resource: {resource, pupil, completed, passed, score, last_played}, in order. */
  function results() {
    var known = readJson(own("keys"), {});
    if (!isObject(known)) known = {};
    var rows = [];
    pupils().forEach(function (p) {
      var copy = readJson(own("pupil:" + p.id), {});
      if (!isObject(copy)) copy = {};
      var played = readJson(own("played:" + p.id), {});
      if (!isObject(played)) played = {};
      resources().forEach(function (r) {
        var entries = Object.keys(copy).filter(function (key) {
          return known[key] === r.uuid;
        }).map(function (key) {
          return parseEntry(copy[key]);
        }).filter(Boolean);
        var day = typeof played[r.uuid] === "string" ? played[r.uuid] : null;
        if (!entries.length && !day) return;
        var done = function (e) {
          return e.status === "completed" || e.status === "passed" || e.success === "passed";
        };
        var scores = entries.map(function (e) {
          return percent(e.score);
        }).filter(function (s) {
          return s !== null;
        });
        rows.push({
          resource: r,
          pupil: p,
          completed: entries.length > 0 && entries.every(done),
          passed: entries.some(function (e) {
            return e.success === "passed" || e.status === "passed";
          }),
          score: scores.length
            ? Math.round(scores.reduce(function (a, b) {
              return a + b;
            }, 0) / scores.length)
            : null,
          last_played: day
        });
      });
    });
    return rows;
  }

  function cellText(row) {
    if (!row) return t("notPlayed");
    var parts = [row.completed ? t("completed") : t("started")];
    if (row.score !== null) parts.push(t("score") + ": " + row.score + "%");
    if (row.passed) parts.push(t("passed"));
    return parts.join(", ");
  }

  function renderResults() {
    var rows = results();
    var table = $("results");
    var head = table.querySelector("thead");
    var body = table.querySelector("tbody");
    head.textContent = "";
    body.textContent = "";
    $("results-empty").hidden = rows.length > 0;
    $("results-wrap").hidden = rows.length === 0;
    $("export-button").disabled = false;
    if (!rows.length) return;
    var columns = resources().filter(function (r) {
      return rows.some(function (row) {
        return row.resource === r;
      });
    });
    var people = pupils().filter(function (p) {
      return rows.some(function (row) {
        return row.pupil.id === p.id;
      });
    });
    head.appendChild(el("tr", {}, [el("th", { scope: "col", text: t("pupil") })].concat(columns.map(function (r) {
      var title = titleOf(r);
      return el("th", { scope: "col", lang: langAttribute(title.lang), "data-uuid": r.uuid, text: title.text });
    }))));
    people.forEach(function (p) {
      body.appendChild(el("tr", { "data-pupil": p.id }, [el("th", { scope: "row", text: p.name })].concat(columns.map(function (r) {
        var row = rows.filter(function (x) {
          return x.pupil.id === p.id && x.resource === r;
        })[0];
        return el("td", { "data-uuid": r.uuid, class: row && row.completed ? "done" : null, text: cellText(row) });
      }))));
    });
  }

  function renderTeacher() {
    renderPupilList();
    renderResults();
    $("school").value = lsGet(own("school")) || "";
  }

  /* ---- the results file ---- */

  /** JSON with keys sorted at every level and no spaces (Python's sort_keys, separators). */
  function canonical(value) {
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (isObject(value)) {
      return "{" + Object.keys(value).filter(function (key) {
        return value[key] !== undefined;
      }).sort(function (a, b) {
        return a < b ? -1 : a > b ? 1 : 0;
      }).map(function (key) {
        return JSON.stringify(key) + ":" + canonical(value[key]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  async function sha256(text) {
    var digest = await window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.prototype.map.call(new Uint8Array(digest), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function integer(value) {
    var n = Number(value);
    return isFinite(n) ? Math.round(n) : null;
  }

  async function exportResults(event) {
    event.preventDefault();
    saveLive();
    var names = $("include-names").checked;
    var school = $("school").value.trim();
    lsSet(own("school"), school);
    var body = {
      format: "sandyq-offline-results/1",
      library: data.id,
      school: school,
      exported_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      results: results().map(function (row) {
        var item = {
          resource: row.resource.uuid,
          version: integer(row.resource.version),
          pupil: row.pupil.id
        };
        if (names) item.name = row.pupil.name;
        item.completed = row.completed;
        item.passed = row.passed;
        item.score = row.score;
        item.last_played = row.last_played;
        return item;
      })
    };
    var status = $("export-status");
    if (!(window.crypto && window.crypto.subtle && window.TextEncoder)) {
      status.textContent = t("exportFailed");
      return;
    }
    body.checksum = "sha256:" + (await sha256(canonical(body)));
    var file = "sandyq-results-" + data.id + "-" + body.exported_at.slice(0, 10) + ".json";
    var blob = new Blob([JSON.stringify(body, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: file, hidden: true });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 60000);
    status.textContent = t("exported", { file: file });
  }

  /* ---- language ---- */

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.title = t("title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (node) {
      node.textContent = t(node.getAttribute("data-t"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("button.lang"), function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-lang") === lang ? "true" : "false");
    });
    var count = resources().length;
    var updated = formatDate(data.updated_at || data.created_at);
    var footer = $("footer-text");
    footer.textContent = "Sandyq · " + count + " " + t("resourcesCount") + (updated.text ? " · " + t("updated") + ": " : "");
    if (updated.text) footer.appendChild(el("time", { datetime: updated.datetime, text: updated.text }));
    renderFilters();
    renderPupilChoice();
    renderCards();
    if (view === "teacher") renderTeacher();
    if (playing) $("player-pupil").textContent = t("learner") + ": " + pupilName(pupilId);
  }

  function setLanguage(code) {
    if (LANGS.indexOf(code) < 0) return;
    lang = code;
    lsSet(own("lang"), code);
    applyLanguage();
  }

  function showNotice(text) {
    var notice = $("notice");
    notice.textContent = text;
    notice.hidden = false;
  }

  /* ---- start ---- */

  function start() {
    if (!isObject(data) || typeof data.id !== "string") {
      data = { id: "none", resources: [] };
      document.documentElement.lang = "kk";
      showNotice(STRINGS.kk.noData + " / " + STRINGS.ru.noData + " / " + STRINGS.en.noData);
      $("filters").hidden = true;
      return;
    }
    var saved = lsGet(own("lang"));
    lang = LANGS.indexOf(saved) >= 0 ? saved : "kk";
    if (!storageWorks) showNotice(t("noStorage"));
    saveLive(); // a session that ended without pagehide: its keys go to their owner

    Array.prototype.forEach.call(document.querySelectorAll("button.lang"), function (button) {
      button.addEventListener("click", function () {
        setLanguage(button.getAttribute("data-lang"));
      });
    });
    $("skip-link").addEventListener("click", function (event) {
      event.preventDefault();
      $("main").focus();
    });
    $("filters").addEventListener("submit", function (event) {
      event.preventDefault();
    });
    $("q").addEventListener("input", renderCards);
    $("subject").addEventListener("change", renderCards);
    $("grade").addEventListener("change", renderCards);
    $("pupil").addEventListener("change", function () {
      saveLive();
      pupilId = $("pupil").value || GUEST;
    });
    $("player-back").addEventListener("click", function () {
      closePlayer(true);
    });
    $("add-pupil").addEventListener("submit", addPupil);
    $("export").addEventListener("submit", function (event) {
      exportResults(event).catch(function () {
        $("export-status").textContent = t("exportFailed");
      });
    });
    $("school").addEventListener("change", function () {
      lsSet(own("school"), $("school").value.trim());
    });
    window.addEventListener("hashchange", function () {
      route(true);
    });
    ["nav-library", "nav-teacher"].forEach(function (id) {
      $(id).addEventListener("click", function (event) {
        // the same hash again fires no hashchange: leave the player all the same
        if (window.location.hash === $(id).getAttribute("href")) {
          event.preventDefault();
          route(true);
        }
      });
    });
    window.addEventListener("pagehide", saveLive);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") saveLive();
    });
    // the package writes its progress on every change: keep the pupil's copy up to date
    window.addEventListener("storage", function (event) {
      if (event.key === null || String(event.key).indexOf(PROGRESS) === 0) saveLive();
    });

    applyLanguage();
    route(false);
    document.body.setAttribute("data-ready", "true");
  }

  // what the tests compare with Python: a query's keys and the checksum's canonical JSON
  window.SandyqLibrary = Object.freeze({ keys: queryKeys, canonical: canonical });

  start();
})();
