// Shared by the records pages (records.js: list and transcript) and the plan page (plan/*.js):
// formatting, plan paths, the staff fetch that Console.api cannot do (If-Match, files), the
// answer statuses and sources in staff words. Every client word reaches the page through
// textContent (Console.el), never as HTML.
"use strict";

(function () {
  const C = window.Console;
  const API = "/api/v1";
  const HISTORY_SHOWN = 40;
  // Below this share of filled questions the approval needs a tick (bot/plan_review.py SPARSE_SHARE).
  const SPARSE_SHARE = 0.2;
  // Below this the coach was "onzeker" (bot/staff_words.py UNSURE_BELOW).
  const UNSURE_BELOW = 0.6;

  const ANSWER_STATUS = [
    ["answered", "beantwoord"], ["declined", "wil ik niet zeggen"], ["not_applicable", "n.v.t."],
    ["unknown", "weet ik niet"], ["not_asked", "nog niet gevraagd"],
  ];
  const SOURCE_LABEL = {
    client_message: "Uit het gesprek", counsellor_entry: "Ingevuld door begeleider",
    counsellor_correction: "Gecorrigeerd door begeleider", organisation_record: "Uit het dossier",
    derived: "Berekend door het systeem",
  };

  const el = (...args) => C.el(...args);

  function pad(n) { return String(n).padStart(2, "0"); }

  function formatDate(value) {
    if (!value) return "";
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
    return match ? `${match[3]}-${match[2]}-${match[1]}` : String(value);
  }

  function formatDateTime(value) {
    if (!value) return "—";
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return String(value);
    return `${pad(date.getDate())}-${pad(date.getMonth() + 1)}-${date.getFullYear()} ` +
      `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }

  function isoDay(date) {
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  function shorten(text, max) {
    const value = String(text == null ? "" : text).replace(/\s+/g, " ").trim();
    return value.length > max ? value.slice(0, max - 1) + "…" : value;
  }

  function optionLabel(options, value) {
    const found = (options || []).find(([key]) => key === value);
    return found ? found[1] : String(value);
  }

  function copy(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  function getAt(object, path) {
    let node = object;
    for (const part of path.split(".")) {
      if (node === null || typeof node !== "object") return undefined;
      node = node[part];
    }
    return node;
  }

  function setAt(object, path, value) {
    const parts = path.split(".");
    let node = object;
    for (const part of parts.slice(0, -1)) {
      if (node[part] === null || typeof node[part] !== "object") node[part] = {};
      node = node[part];
    }
    const last = parts[parts.length - 1];
    if (value === undefined) delete node[last]; else node[last] = value;
  }

  /** fetch with the staff token, for what Console.api cannot do (If-Match, files). */
  async function request(path, { method = "GET", body, headers = {}, as = "json" } = {}) {
    const all = { Authorization: "Bearer " + C.token, ...headers };
    if (body !== undefined) all["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(API + path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new C.ApiError(0, "Geen verbinding met de server. Probeer het opnieuw.");
    }
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      if (response.status === 401) C.logout();
      const error = new C.ApiError(response.status, (data && data.detail) || `HTTP ${response.status}`);
      if (data && data.reason) { error.reason = data.reason; error.openSessions = data.open_sessions; }
      throw error;
    }
    if (as === "blob") return response.blob();
    if (as === "text") return response.text();
    return response.json();
  }

  function saveBlob(blob, filename) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: filename, hidden: true });
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  function notice(text, kind = "info") {
    return el("div", { class: `notice notice--${kind}` }, el("p", { text }));
  }

  function focus(id) {
    if (!id) return;
    const target = document.getElementById(id);
    if (!target) { C.toast("Dat onderdeel staat niet (meer) op deze pagina.", "info"); return; }
    target.classList.add("rec-focus");
    target.scrollIntoView({ block: "center" });
    window.setTimeout(() => target.classList.remove("rec-focus"), 4000);
  }

  C.records = {
    API, HISTORY_SHOWN, SPARSE_SHARE, UNSURE_BELOW, ANSWER_STATUS, SOURCE_LABEL,
    el, pad, formatDate, formatDateTime, isoDay, shorten, optionLabel, copy, getAt, setAt, request, saveBlob, notice, focus,
  };
})();
