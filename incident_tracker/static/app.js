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
