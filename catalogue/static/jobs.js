/* The progress page of a background job: poll its status, move the bar, announce a new
   step (the status paragraph is a polite live region), and go on when the job is done.
   Without JavaScript the page reloads itself instead (a meta refresh in <noscript>). */
(function () {
  "use strict";
  var box = document.getElementById("job");
  var bar = document.getElementById("job-progress");
  if (!box || !bar || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var template = box.getAttribute("data-percent-template") || "{n}%";
  var percent = document.getElementById("job-percent");
  var step = document.getElementById("job-step");
  var failures = 0;

  function show(status) {
    bar.value = status.percent;
    bar.textContent = template.replace("{n}", String(status.percent));
    if (percent) {
      percent.textContent = template.replace("{n}", String(status.percent));
    }
    if (step && step.textContent !== status.step_label) {
      step.textContent = status.step_label;
    }
  }

  function poll() {
    fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        failures = 0;
        show(status);
        if (status.finished) {
          /* The page itself shows a failure, or redirects to the next page. */
          window.location.assign(status.next || window.location.href);
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        failures += 1;
        if (failures >= 5) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1000 * failures);
      });
  }

  window.setTimeout(poll, 1000);
})();
