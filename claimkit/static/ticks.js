// Saves each checklist tick and document count as it is made (issue 17, issue 14): the form still posts as usual
// without JavaScript.
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

  function setVersion(version) {
    if (version === undefined) { return; }
    document.querySelectorAll("input[name=version]").forEach(function (input) { input.value = version; });
  }

  // A line's document count goes with its tick: ticking a line shows 1, unticking it clears the count
  // (an unticked line counts 0, whatever its box says).
  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target.type === "checkbox" && target.name === "piece") {
      var number = form.querySelector("input[name='nombre-" + target.value + "']");
      if (number) { number.value = target.checked ? (number.value && number.value !== "0" ? number.value : "1") : ""; }
    }
  }, true);

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
        if (response.status === 400) {  // a count out of range: nothing saved changed, the student corrects it
          setVersion(body.version);
          say(body.message || "");
          return;
        }
        if (!response.ok) { say(body.message || ""); window.location.reload(); return; }
        setVersion(body.version);
        var count = document.getElementById("pieces-count");
        if (count) { count.textContent = "(" + body.ticked_required + "/" + body.required + ")"; }
        var attached = document.getElementById("pieces-attachments");
        if (attached) { attached.textContent = body.attachments; }
        say(form.dataset.saved || "✓");
        if (body.state_changed) { reload = true; }
      });
    }).catch(function () {
      say(form.dataset.failed || "!");
      if (button) { button.hidden = false; }
    });
  }
})();
