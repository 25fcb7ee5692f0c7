// Saves each checklist tick as it is made (issue 17): the form still posts as usual without JavaScript.
// Each save sends a fresh idempotency key and the claim's version, and takes back the new version so the
// page's other forms stay current; if the claim changed elsewhere, the page reloads to its latest version.
(function () {
  "use strict";
  var form = document.getElementById("pieces-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("pieces-status");
  var button = document.getElementById("pieces-save");
  if (button) { button.hidden = true; }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function say(text) { if (status) { status.textContent = text; } }

  var queue = Promise.resolve();
  var pending = 0;
  var reload = false;  // the claim became prête (or brouillon again): reload once every tick is saved
  form.addEventListener("change", function (event) {
    if (event.target.form !== form) { return; }  // a photo's file input belongs to its own form
    pending += 1;
    queue = queue.then(save, save).then(function () {
      pending -= 1;
      if (pending === 0 && reload) { window.location.reload(); }
    });
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
        if (body.state_changed) { reload = true; }
      });
    }).catch(function () {
      say(form.dataset.failed || "!");
      if (button) { button.hidden = false; }
    });
  }
})();
