// incident-tracker: idle-sign-out warning (HIPAA 164.312(a)(2)(iii)). The server enforces the
// limit; this only warns, offers "Stay signed in", and leaves the page when the time is up.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (!idle) { return; }
  var warnBefore = parseInt(body.getAttribute("data-idle-warning-seconds") || "120", 10);
  var pingUrl = body.getAttribute("data-ping-url");
  var loginUrl = body.getAttribute("data-login-url");
  // A page that can be resumed (a risk-assessment step) asks to come back to it after sign-in.
  var resume = document.querySelector("[data-resume-path]");
  if (resume && loginUrl) {
    loginUrl += "?next=" + encodeURIComponent(resume.getAttribute("data-resume-path"));
  }
  var box = document.getElementById("idle-warning");
  var countdown = document.getElementById("idle-countdown");
  var stay = document.getElementById("idle-stay");
  var tokenField = document.querySelector("input[name=csrf_token]");
  var deadline = Date.now() + idle * 1000;

  function reset() { deadline = Date.now() + idle * 1000; box.hidden = true; }

  function tick() {
    var left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) { window.location.assign(loginUrl); return; }
    if (left <= warnBefore) { box.hidden = false; countdown.textContent = String(left); }
  }

  stay.addEventListener("click", function () {
    var headers = { "X-CSRFToken": tokenField ? tokenField.value : "" };
    fetch(pingUrl, { method: "POST", headers: headers, credentials: "same-origin" })
      .then(function (r) { if (r.ok) { reset(); } else { window.location.assign(loginUrl); } });
  });
  window.setInterval(tick, 1000);
})();

// Merged letters: follow a run's progress by polling its JSON endpoint (counts only, no
// PHI); the page reloads when the run ends, to show its downloads.
(function () {
  "use strict";
  var box = document.getElementById("letter-progress");
  if (!box) { return; }
  var status = box.getAttribute("data-status");
  if (status !== "queued" && status !== "running") { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = document.getElementById("letter-bar");
  var count = document.getElementById("letter-count");
  var label = document.getElementById("letter-status");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (run) {
        if (!run) { return; }
        bar.max = Math.max(run.total, 1);
        bar.value = run.done;
        count.textContent = run.done.toLocaleString("en-US") + " of " +
          run.total.toLocaleString("en-US");
        label.textContent = run.status;
        if (run.status === "queued" || run.status === "running") {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      });
  }
  window.setTimeout(poll, 2000);
})();

// The incident was one long page: a bookmark to one of its anchors (#obligations, #sent, #holds,
// #obligation-7 ...) lands on the summary, which lists each old anchor with the section that holds
// it now; follow it.
(function () {
  "use strict";
  var box = document.querySelector("[data-old-anchors]");
  var hash = window.location.hash.slice(1);
  if (!box || !hash) { return; }
  var link = document.getElementById(hash);
  if (!link || !link.hasAttribute("data-section-url")) {
    var m = /^(obligation|sent|notice)-\d+$/.exec(hash);
    link = m && document.getElementById(m[1] === "obligation" ? "obligations" : "notices");
    if (!link) { return; }
    window.location.replace(link.getAttribute("data-section-url").split("#")[0] + "#" + hash);
    return;
  }
  window.location.replace(link.getAttribute("data-section-url"));
})();
