// Trainer workbench (trainer/*.js): what its pages share: roles, timings, labels in words and
// small builders, and the last replay of each scenario in this tab (for the flow picture's paths).
"use strict";

(function () {
  const C = window.Console;
  const ROLES = ["trainer", "admin"];
  const SVG_NS = "http://www.w3.org/2000/svg";
  const CHECK_DELAY_MS = 500;         // the editor checks the text this long after typing stops
  const SANDBOX_POLL_MS = 3000;       // counsellor replies while a person holds the sandbox chat
  const REQUEST_HUMAN = { title: "Ik wil met een mens praten", payload: "/request_human" };
  const lastRuns = new Map();         // scenario name → last replay result in this tab
  const enc = encodeURIComponent;

  const MI_LABELS = {
    open_question: "open vraag", closed_question: "gesloten vraag", simple_reflection: "eenvoudige reflectie",
    complex_reflection: "complexe reflectie", affirmation: "bevestiging", summary: "samenvatting",
    information_with_permission: "informatie met toestemming", structure: "structuur", handoff: "overdracht",
  };
  const KIND_LABELS = {
    start: "begin", anywhere: "op elk moment", counsellor: "begeleider", response: "tekst van de coach",
    action: "actie van de coach", form: "vragenlijst",
  };
  const PLAN_STATES = {
    filled: "ingevuld", declined: "geweigerd", unknown: "'weet ik niet'", not_applicable: "niet van toepassing",
    empty: "leeg",
  };

  const RUN_POLL_MS = 400;

  function miLabel(code) { return MI_LABELS[code] || code || "geen MI-code"; }

  function truncate(text, max) {
    const flat = String(text || "").replace(/\s+/g, " ").trim();
    return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
  }

  function counted(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

  function section(title, ...children) {
    return C.el("section", { class: "card trainer-card" }, C.el("h2", { text: title }), ...children);
  }

  function toolbar(...children) { return C.el("div", { class: "trainer-toolbar" }, ...children); }

  function button(text, onclick, extra = {}) {
    return C.el("button", { class: extra.class || "btn", type: "button", onclick, ...extra, text });
  }

  C.trainer = {
    ROLES, SVG_NS, CHECK_DELAY_MS, SANDBOX_POLL_MS, REQUEST_HUMAN, lastRuns, enc, MI_LABELS, KIND_LABELS, PLAN_STATES, RUN_POLL_MS, miLabel, truncate, counted, section, toolbar, button,
  };
})();
