// Trainer workbench: the scenario editor: YAML with line numbers, checked while the trainer types, every mistake
// pointing at its line; new scenarios (#/trainer/new) and drafts from a training conversation
// (#/trainer/from/:session). C.scenarioEditor is the same editor for scenario_from_conversation.js.
// Scenario, client and bot text only ever reaches the page as text.
"use strict";

(function () {
  const C = window.Console;
  const { ROLES, CHECK_DELAY_MS, lastRuns, enc, toolbar, button } = C.trainer;

  // --- scenarios: the editor ------------------------------------------------------------------

  const NEW_TEMPLATE = `title: "Naam van de persona: korte omschrijving"
persona: |
  Wie de cliënt is, in een paar zinnen.
trainer_checks:
  - "Waar de trainer op let."
opening:
  responses: [utter_greet_intro, utter_ask_start]
turns:
  - button: "Ja, we beginnen"
    expect:
      phase: verkennen
      responses: [utter_ask_life_here]
`;

  const SNIPPETS = [
    ["Cliënt typt", `  - client: "Wat de cliënt typt."\n    expect:\n      status: bot\n`],
    ["Cliënt kiest knop", `  - button: "Titel van de knop"\n    expect:\n      responses: [utter_...]\n`],
    ["Begeleider neemt over", `  - counsellor: takeover\n    expect:\n      status: human\n`],
    ["Begeleider schrijft", `  - counsellor_says: "Wat de begeleider schrijft."\n    expect:\n      silent: true\n`],
    ["Teruggeven aan de coach", `  - counsellor: handback\n    expect:\n      status: bot\n`],
    ["Gesprek sluiten", `  - counsellor: close\n    expect:\n      status: closed\n`],
  ];

  const HELP_ROWS = [
    ["phase", "fase na deze beurt: verkennen, kiezen, verkrijgen of afgerond"],
    ["status", "bot (coach), waiting_for_human, human (begeleider) of closed"],
    ["handoff", "crisis, emotion, request, uncertain, of none (geen overdracht)"],
    ["says / not_says", "woorden die wel / niet in het antwoord van de coach staan"],
    ["matches", "een patroon (reguliere expressie) waar het antwoord bij moet passen, zoals 'U (zegt|vertelt)'"],
    ["responses / not_responses", "namen van teksten die de coach wel / niet gebruikt (zie Teksten)"],
    ["buttons", "knoppen die de coach aanbiedt"],
    ["silent", "true: de coach zegt niets in deze beurt"],
    ["plan", "velden in het actieplan: ingevuld, of per veld filled, declined, unknown, een getal, true/false of tekst"],
  ];

  // `check(name, yaml)` and `persist(name, yaml, version)` default to the trainers' scenario
  // routes; a scenario drafted from a client's conversation saves through the staff routes
  // (scenario_from_conversation.js).
  function buildEditor({ name, yaml, version, isNew, onCancel, onSaved, check: checkText, persist }) {
    const checkCall = checkText || ((n, text) => C.api(`/trainer/scenarios/${enc(n)}/check`, { method: "POST", body: { yaml: text } }));
    const persistCall = persist || ((n, text, v) => C.api(`/trainer/scenarios/${enc(n)}`, { method: "PUT", body: { yaml: text, version: v } }));
    let currentName = name || "";
    let checkTimer = null;
    let checkSeq = 0;
    let lastErrors = [];

    const nameInput = isNew ? C.el("input", { id: "scenario-name", value: currentName, placeholder: "bijvoorbeeld p7_amina_somalie",
      pattern: "[a-z0-9][a-z0-9_-]{0,63}", autocomplete: "off", spellcheck: "false", "aria-describedby": "scenario-name-help" }) : null;
    const gutter = C.el("div", { class: "code__gutter", "aria-hidden": "true" });
    const area = C.el("textarea", { id: "scenario-yaml", class: "code__text", spellcheck: "false", wrap: "off",
      autocapitalize: "off", autocomplete: "off", "aria-label": "Scenario als YAML-tekst", "aria-describedby": "editor-status" });
    area.value = yaml || "";
    const status = C.el("p", { class: "editor-status", id: "editor-status", role: "status" });
    const errorList = C.el("ul", { class: "editor-errors", id: "editor-errors" });
    const saveButton = button("Opslaan", save, { class: "btn btn--primary", id: "save-scenario" });

    const snippets = C.el("div", { class: "snippets" }, C.el("span", { class: "muted", text: "Beurt toevoegen:" }),
      SNIPPETS.map(([label, text]) => button(`+ ${label}`, () => insertTurn(text), { class: "btn btn--small" })));
    const help = C.el("details", { class: "editor-help" },
      C.el("summary", { text: "Wat kan er bij 'expect'?" }),
      C.el("table", { class: "trainer-table trainer-table--compact" },
        C.el("tbody", {}, HELP_ROWS.map(([key, text]) => C.el("tr", {},
          C.el("th", { scope: "row" }, C.el("code", { text: key })), C.el("td", { text }))))),
      C.el("p", { class: "muted", text: "Tip: staat er een dubbele punt of een # in een tekst, zet de tekst dan tussen aanhalingstekens. Inspringen doet u met spaties, steeds twee." }));

    const actions = toolbar(saveButton, button("Annuleren", () => onCancel && onCancel(), { id: "cancel-edit" }));
    if (!isNew) {
      const confirmBox = C.el("span", { class: "confirm", hidden: true },
        C.el("span", { text: "Het bestand wordt verwijderd. Zeker weten?" }),
        button("Ja, verwijderen", remove, { class: "btn btn--danger", id: "delete-confirm" }),
        button("Nee", () => { confirmBox.hidden = true; }, { class: "btn btn--quiet" }));
      actions.append(button("Verwijderen", () => { confirmBox.hidden = false; }, { class: "btn btn--danger", id: "delete-scenario" }), confirmBox);
    }

    const node = C.el("section", { class: "card trainer-card editor", id: "scenario-editor" },
      C.el("h2", { text: isNew ? "Nieuw scenario" : `Bewerken: ${name}.yml` }),
      isNew ? C.el("div", {},
        C.el("label", { for: "scenario-name", text: "Naam van het bestand" }), nameInput,
        C.el("p", { class: "muted", id: "scenario-name-help", text: "Kleine letters, cijfers, - en _ (zonder .yml)." })) : null,
      help, snippets,
      C.el("div", { class: "code" }, gutter, area),
      status, errorList, actions);

    function lineCount() { return area.value.split("\n").length; }

    function drawGutter() {
      const bad = new Set(lastErrors.map((e) => e.line));
      const lines = [];
      for (let i = 1; i <= lineCount(); i += 1) {
        lines.push(C.el("div", { class: bad.has(i) ? "code__line code__line--error" : "code__line", text: i }));
      }
      gutter.replaceChildren(...lines);
      gutter.scrollTop = area.scrollTop;
    }

    function goToLine(line) {
      if (!line) return;
      const rows = area.value.split("\n");
      const start = rows.slice(0, line - 1).reduce((sum, row) => sum + row.length + 1, 0);
      area.focus();
      area.setSelectionRange(start, start + (rows[line - 1] || "").length);
      const lineHeight = parseFloat(window.getComputedStyle(area).lineHeight) || 20;
      area.scrollTop = Math.max(0, (line - 4) * lineHeight);
      gutter.scrollTop = area.scrollTop;
    }

    function showErrors(errors) {
      lastErrors = errors;
      drawGutter();
      errorList.replaceChildren(...errors.map((e) => C.el("li", {},
        C.el("button", { type: "button", class: "linklike", onclick: () => goToLine(e.line),
          text: e.line ? `Regel ${e.line}` : "Bestand" }),
        C.el("span", { text: `: ${e.message}` }))));
      status.className = errors.length ? "editor-status editor-status--bad" : "editor-status editor-status--ok";
      status.textContent = errors.length
        ? `${errors.length === 1 ? "Eén fout" : errors.length + " fouten"} gevonden. Klik op een regel om ernaartoe te gaan.`
        : "Geen fouten gevonden.";
    }

    function checkName() {
      return /^[a-z0-9][a-z0-9_-]{0,63}$/.test(currentName) ? currentName : "nieuw-scenario";
    }

    async function check() {
      const mine = ++checkSeq;
      try {
        const result = await checkCall(checkName(), area.value);
        if (mine !== checkSeq) return null;
        showErrors(result.errors);
        return result;
      } catch (err) {
        if (mine === checkSeq) { status.className = "editor-status editor-status--bad"; status.textContent = `Controleren lukte niet: ${err.message}`; }
        return null;
      }
    }

    function scheduleCheck() {
      window.clearTimeout(checkTimer);
      checkTimer = window.setTimeout(check, CHECK_DELAY_MS);
    }

    function insertTurn(text) {
      const value = area.value.endsWith("\n") ? area.value : area.value + "\n";
      area.value = value + text;
      drawGutter();
      goToLine(lineCount() - text.split("\n").length + 1);
      scheduleCheck();
    }

    async function save() {
      if (isNew) {
        currentName = nameInput.value.trim();
        if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(currentName)) {
          C.toast("Geef een naam: kleine letters, cijfers, - en _.", "error");
          nameInput.focus();
          return;
        }
      }
      saveButton.disabled = true;
      try {
        const result = await check();
        if (!result) return;
        if (!result.valid) { C.toast("Niet opgeslagen: verbeter eerst de fouten.", "error"); goToLine(result.errors[0].line); return; }
        await persistCall(currentName, area.value, isNew ? null : version);
        C.toast("Het scenario is opgeslagen.", "success");
        if (onSaved) onSaved(currentName);
      } catch (err) {
        C.toast(`Opslaan lukte niet: ${err.message}`, "error");
      } finally {
        saveButton.disabled = false;
      }
    }

    async function remove() {
      try {
        await C.api(`/trainer/scenarios/${enc(name)}?version=${enc(version)}`, { method: "DELETE" });
        lastRuns.delete(name);
        C.toast("Het scenario is verwijderd.", "success");
        C.navigate("/trainer/scenarios");
      } catch (err) {
        C.toast(`Verwijderen lukte niet: ${err.message}`, "error");
      }
    }

    area.addEventListener("input", () => { drawGutter(); scheduleCheck(); });
    area.addEventListener("scroll", () => { gutter.scrollTop = area.scrollTop; });
    area.addEventListener("keydown", (event) => {
      if (event.key === "Tab" && !event.shiftKey) {  // two spaces, as YAML wants; Shift+Tab still leaves the field
        event.preventDefault();
        area.setRangeText("  ", area.selectionStart, area.selectionEnd, "end");
        scheduleCheck();
      }
    });
    if (nameInput) nameInput.addEventListener("input", () => { currentName = nameInput.value.trim(); });
    drawGutter();
    check();
    return { node, focus: () => (nameInput || area).focus() };
  }

  // Issue 17.7: a scenario from a conversation — the draft (places and names replaced) opens in the
  // editor; nothing is saved until the trainer has read it and presses Opslaan.
  async function renderFromSession(page, params) {
    const draft = await C.api(`/trainer/sessions/${enc(params.session)}/scenario-draft`);
    page.append(C.el("p", { class: "crumbs" }, C.el("a", { href: "#/trainer/scenarios", text: "Scenario's" }), " › uit een gesprek"),
      C.el("h1", { text: "Nieuw scenario uit een gesprek" }),
      C.el("p", { class: "muted", id: "draft-replaced", text: draft.replaced.length
        ? `Vervangen: ${draft.replaced.map((r) => `${r.was} → ${r.now}`).join(", ")}. Lees de beurten na op andere namen.`
        : "De coach vond geen plaatsen of namen om te vervangen. Lees de beurten na op namen." }));
    const editor = buildEditor({ name: draft.name, yaml: draft.yaml, version: null, isNew: true,
      onCancel: () => C.navigate(`/sessions/${enc(params.session)}`),
      onSaved: (saved) => C.navigate(`/trainer/scenarios/${enc(saved)}`) });
    page.appendChild(editor.node);
    editor.focus();
  }

  async function renderNew(page) {
    page.append(C.el("p", { class: "crumbs" }, C.el("a", { href: "#/trainer/scenarios", text: "Scenario's" }), " › nieuw"),
      C.el("h1", { text: "Nieuw scenario" }));
    const editor = buildEditor({ name: "", yaml: NEW_TEMPLATE, version: null, isNew: true,
      onCancel: () => C.navigate("/trainer/scenarios"),
      onSaved: (saved) => C.navigate(`/trainer/scenarios/${enc(saved)}`) });
    page.appendChild(editor.node);
    editor.focus();
  }


  C.scenarioEditor = buildEditor;
  C.register("/trainer/new", { title: "Nieuw scenario", roles: ROLES, render: renderNew });
  C.register("/trainer/from/:session", { title: "Scenario uit een gesprek", roles: ROLES, render: renderFromSession });
})();
