// Live validation for the KPI formula editor: as the formula is typed, asks
// POST /api/v1/kpis/check and shows the result under it. The page works without this file
// (its Check button posts the form); the texts come from the catalogs via data- attributes.
(function () {
  "use strict";
  var script = document.currentScript;
  var formula = document.getElementById("kdef-formula");
  var unit = document.getElementById("kdef-unit-select");
  var out = document.getElementById("kdef-result");
  if (!script || !formula || !unit || !out) { return; }
  var words = script.dataset;
  var timer = null;
  var asked = 0;

  function el(tag, text, id) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (id) { e.id = id; }
    return e;
  }

  function show(r) {
    out.textContent = "";
    formula.classList.toggle("invalid", !r.ok);
    if (r.ok) {
      var ok = el("p", words.valid + " · " + words.unit + " ", "kdef-ok");
      ok.className = "ok";
      ok.appendChild(el("code", r.unit, "kdef-unit"));
      out.appendChild(ok);
      return;
    }
    var e = r.error || {};
    var box = el("div", undefined, "kdef-error");
    box.className = "alert";
    box.setAttribute("role", "alert");
    var msg = el("p");
    msg.appendChild(el("code", e.code, "kdef-error-code"));
    msg.appendChild(document.createTextNode(" " + e.message));
    box.appendChild(msg);
    if (e.position) {
      var pre = el("pre", formula.value + "\n" + " ".repeat(e.position - 1) + "^", "kdef-caret");
      pre.className = "kdef-caret";
      box.appendChild(pre);
    }
    if (e.suggestion) {
      var s = el("p", words.didYouMean + " ", "kdef-suggestion");
      s.appendChild(el("code", e.suggestion));
      box.appendChild(s);
    }
    out.appendChild(box);
  }

  function check() {
    var n = ++asked;
    fetch("/api/v1/kpis/check", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ formula: formula.value, unit: unit.value })
    })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (r) { if (r && n === asked) { show(r); } })
      .catch(function () { /* offline: the Check button still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  }

  formula.addEventListener("input", later);
  unit.addEventListener("change", later);
})();
