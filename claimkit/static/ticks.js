// Saves each checklist tick as it is made (issue 17): the form still posts as usual without JavaScript.
// Each save sends a fresh idempotency key and the claim's version, and takes back the new version so the
// page's other forms stay current; if the claim changed elsewhere, the page reloads to its latest version.
(function () {
  "use strict";
  var form = document.getElementById("pieces-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("pieces-status");
  var button = form.querySelector("button[type=submit]");
  if (button) { button.hidden = true; }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function say(text) { if (status) { status.textContent = text; } }

  var queue = Promise.resolve();
  form.addEventListener("change", function () {
    queue = queue.then(save, save);
  });

  function save() {
    var data = new FormData(form);
    data.set("idem", newKey());
    say(form.dataset.saving || "…");
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { say(body.message || ""); window.location.reload(); return; }
        document.querySelectorAll("input[name=version]").forEach(function (input) { input.value = body.version; });
        var count = document.getElementById("pieces-count");
        if (count) { count.textContent = "(" + body.ticked_required + "/" + body.required + ")"; }
        say(form.dataset.saved || "✓");
        if (body.state_changed) { window.location.reload(); }
      });
    }).catch(function () {
      say(form.dataset.failed || "!");
      if (button) { button.hidden = false; }
    });
  }
})();
