// Trainer workbench: the scenario library (read, write, replay one or all with
// every step green or red and its reason), the flow picture with the path a
// replay or sandbox conversation took, the sandbox (chat as a client, always
// marked as training) and the wording review.
//
// Pages: #/trainer/scenarios, #/trainer/scenarios/:name, #/trainer/new,
// #/trainer/flow, #/trainer/flow/:session, #/trainer/sandbox, #/trainer/sandbox/:id,
// #/trainer/wording. Taking over a sandbox conversation uses live.js (#/live/:id).
// Scenario, client and bot text only ever reaches the page as text.
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

  // --- scenarios: words for what a step expects ----------------------------------------

  function describeTurn(turn) {
    if ("client" in turn) return { who: "client", text: `Cliënt typt: ${turn.client}` };
    if ("button" in turn) return { who: "client", text: `Cliënt kiest de knop: ${turn.button}` };
    if ("counsellor_says" in turn) return { who: "counsellor", text: `Begeleider schrijft: ${turn.counsellor_says}` };
    const phase = turn.phase ? ` (verder in fase ${C.label("phase", turn.phase)})` : "";
    const what = { takeover: "Begeleider neemt het gesprek over", close: "Begeleider sluit het gesprek",
      handback: "Begeleider geeft het gesprek terug aan de coach" + phase }[turn.counsellor];
    return { who: "counsellor", text: what || `Begeleider: ${turn.counsellor}` };
  }

  function planWanted(value) {
    if (typeof value === "boolean") return value ? "ja" : "nee";
    if (typeof value === "number") return String(value);
    return PLAN_STATES[value] || `bevat '${value}'`;
  }

  function expectationLines(expect) {
    const lines = [];
    if (!expect) return lines;
    if (expect.phase) lines.push(`fase is ${C.label("phase", expect.phase)}`);
    if (expect.status) lines.push(`status is '${C.label("status", expect.status)}'`);
    if (expect.handoff) lines.push(expect.handoff === "none" ? "geen overdracht" : `overdracht: ${C.label("reason", expect.handoff)}`);
    for (const word of expect.says || []) lines.push(`de coach zegt '${word}'`);
    for (const word of expect.not_says || []) lines.push(`de coach zegt niet '${word}'`);
    for (const pattern of expect.matches || []) lines.push(`het antwoord past bij /${pattern}/`);
    for (const name of expect.responses || []) lines.push(`de coach gebruikt ${name}`);
    for (const name of expect.not_responses || []) lines.push(`de coach gebruikt niet ${name}`);
    for (const title of expect.buttons || []) lines.push(`knop '${title}'`);
    if (expect.silent === true) lines.push("de coach zegt niets");
    if (expect.silent === false) lines.push("de coach antwoordt");
    const plan = expect.plan || {};
    const entries = Array.isArray(plan) ? plan.map((p) => [p, "filled"]) : Object.entries(plan);
    for (const [path, wanted] of entries) lines.push(`plan: ${path} ${planWanted(wanted)}`);
    return lines;
  }

  /** Opening + turns of a scenario in the shape the steps table draws. */
  function plannedSteps(scenario) {
    const steps = [{ index: 0, who: "system", text: "Sessie starten: de coach opent het gesprek", expect: scenario.opening || {} }];
    (scenario.turns || []).forEach((turn, i) => {
      const described = describeTurn(turn);
      steps.push({ index: i + 1, who: described.who, text: described.text, note: turn.note, expect: turn.expect || {} });
    });
    return steps;
  }

  // --- scenarios: replay ----------------------------------------------------------------

  /** A replay is a job on the server: start it, then follow it turn by turn (onProgress gets
   *  {done, total, turns}) until the whole result is there. */
  async function runScenario(name, onProgress) {
    const job = await C.api(`/trainer/scenarios/${enc(name)}/run`, { method: "POST" });
    let run = job;
    while (run.status === "running") {
      if (onProgress) onProgress(run);
      await new Promise((resolve) => window.setTimeout(resolve, RUN_POLL_MS));
      run = await C.api(`/trainer/scenarios/${enc(name)}/runs/${enc(job.run_id)}`);
    }
    if (run.status !== "done") throw new C.ApiError(500, run.error || "het afspelen stopte");
    lastRuns.set(name, run.result);
    return run.result;
  }

  function progressText(run) {
    return run.done ? `Bezig: stap ${run.done} van ${run.total} gespeeld…` : `Bezig: de coach opent het gesprek (0 van ${run.total})…`;
  }

  /** "crisis (92%), signaal crisis/suicide": what the coach made of the client's message. */
  function understoodText(info) {
    const parts = [];
    if (info.intent) {
      const pct = typeof info.confidence === "number" ? ` (${Math.round(info.confidence * 100)}%)` : "";
      parts.push(`${info.intent}${pct}`);
    }
    if (info.safety && info.safety !== "none") parts.push(`signaal ${info.safety}${info.flag ? "/" + info.flag : ""}`);
    if (info.escalation) parts.push(`opgehoogd: ${info.escalation}`);
    return parts.join(", ");
  }

  function resultText(result) {
    const counts = result.counts || {};
    if (result.passed) return `Geslaagd: ${counts.checks} van ${counts.checks} controles kloppen`;
    if (result.error && !counts.checks) return `Mislukt: ${result.error}`;
    const steps = counts.turns_failed === 1 ? "1 stap" : `${counts.turns_failed} stappen`;
    return `Mislukt: ${counts.failed} van ${counts.checks} controles kloppen niet (in ${steps})`;
  }

  /** Only the mark: the words ("Geslaagd: …") follow in resultText, so the state is said once. */
  function resultBadge(result) {
    return C.el("span", { class: ["run-badge", result.passed ? "run-badge--pass" : "run-badge--fail"], "aria-hidden": "true",
      text: result.passed ? "✓" : "✗" });
  }

  function messageLine(message) {
    const who = message.sender === "bot" ? "Coach" : C.label("sender", message.sender);
    const node = C.el("div", { class: ["step-msg", `step-msg--${message.sender}`] },
      C.el("span", { class: "step-msg__who", text: who }),
      C.el("span", { class: "step-msg__text", text: message.text }));
    if ((message.buttons || []).length) {
      node.appendChild(C.el("span", { class: "step-msg__buttons" },
        message.buttons.map((b) => C.el("span", { class: "chip", text: b.title }))));
    }
    if (message.utter_action) {
      node.appendChild(C.el("span", { class: "step-msg__meta",
        text: message.utter_action + (message.mi_code ? ` · ${miLabel(message.mi_code)}` : "") }));
    }
    return node;
  }

  function stepRow(step, outcome) {
    let state = "planned";
    if (outcome) state = !outcome.ran ? "skipped" : outcome.passed ? "pass" : "fail";
    const stateText = { planned: "", pass: "✓", fail: "✗", skipped: "–" }[state];
    const where = outcome && outcome.line ? `regel ${outcome.line}` : step.index === 0 ? "opening" : "";

    const conversation = C.el("div", { class: "step__conversation" },
      C.el("div", { class: ["step-action", `step-action--${step.who}`], text: step.text }),
      step.note ? C.el("div", { class: "step__note", text: step.note }) : null);
    const said = outcome && (outcome.messages || [])[0];
    if (said && said.sender === "client" && said.understood) {
      conversation.appendChild(C.el("div", { class: "step__understood", text: `De coach begreep: ${understoodText(said.understood)}` }));
    }
    if (outcome) {
      // What the client or counsellor wrote is already the step's action; show what came back.
      const replies = (outcome.messages || []).filter((m, i) => !(i === 0 && m.sender === step.who));
      for (const message of replies) conversation.appendChild(messageLine(message));
      if (outcome.ran && !replies.some((m) => m.sender === "bot")) {
        conversation.appendChild(C.el("div", { class: "step__quiet", text: "(de coach zegt niets)" }));
      }
    }

    const checks = C.el("ul", { class: "step__checks" });
    if (outcome && outcome.ran) {
      for (const check of outcome.checks || []) {
        checks.appendChild(C.el("li", { class: check.passed ? "check check--pass" : "check check--fail" },
          C.el("span", { class: "check__mark", "aria-hidden": "true", text: check.passed ? "✓" : "✗" }),
          C.el("span", { class: "check__reason", text: check.reason })));
      }
      if (!(outcome.checks || []).length && !outcome.error) {
        checks.appendChild(C.el("li", { class: "check check--none", text: "Geen controles bij deze stap." }));
      }
    } else {
      const lines = expectationLines(step.expect);
      for (const line of lines) checks.appendChild(C.el("li", { class: "check check--planned", text: line }));
      if (!lines.length) checks.appendChild(C.el("li", { class: "check check--none", text: "Geen controles bij deze stap." }));
    }
    if (outcome && outcome.error) {
      checks.appendChild(C.el("li", { class: outcome.ran ? "check check--fail" : "check check--skipped" },
        C.el("span", { class: "check__mark", "aria-hidden": "true", text: outcome.ran ? "✗" : "–" }),
        C.el("span", { class: "check__reason", text: outcome.error })));
    }

    return C.el("li", { class: ["step", `step--${state}`], dataset: { index: step.index, state } },
      C.el("div", { class: "step__head" },
        C.el("span", { class: "step__mark", "aria-label": { pass: "geslaagd", fail: "mislukt", skipped: "niet uitgevoerd", planned: "" }[state], text: stateText }),
        C.el("span", { class: "step__number", text: step.index === 0 ? "Start" : `Stap ${step.index}` }),
        where ? C.el("span", { class: "step__line", text: where }) : null),
      conversation,
      checks);
  }

  function stepsList(scenario, result) {
    const outcomes = new Map(((result && result.turns) || []).map((t) => [t.index, t]));
    return C.el("ol", { class: "steps", id: "scenario-steps", "aria-label": "Stappen van het scenario" },
      C.el("li", { class: "steps__header", "aria-hidden": "true" },
        C.el("span", { text: "" }), C.el("span", { text: "Gesprek" }), C.el("span", { text: "Verwachting en uitkomst" })),
      plannedSteps(scenario).map((step) => stepRow(step, result ? outcomes.get(step.index) : null)));
  }

  // --- scenarios: library ------------------------------------------------------------------

  async function renderLibrary(page) {
    const listed = await C.api("/trainer/scenarios");
    const summary = C.el("p", { class: "trainer-summary", id: "library-summary", role: "status" });
    const runAll = button("Alles afspelen", () => playAll(), { class: "btn btn--primary", id: "run-all" });
    const rows = new Map();
    let busy = false;

    page.append(
      C.el("h1", { text: "Scenario's" }),
      C.el("p", { class: "muted trainer-intro", text: "Een scenario is een uitgeschreven gesprek met een cliënt (een persona). " +
        "Afspelen stuurt elke beurt door de echte coach en laat per stap zien of die klopt: groen of rood, met de reden." }),
      toolbar(runAll, C.el("a", { class: "btn", href: "#/trainer/new", id: "new-scenario" }, "Nieuw scenario"), summary));

    const table = C.el("table", { class: "trainer-table", id: "scenario-table" },
      C.el("thead", {}, C.el("tr", {},
        ["Scenario", "Beurten", "Controles", "Laatste keer afgespeeld", ""].map((h) => C.el("th", { scope: "col", text: h })))));
    const body = C.el("tbody");
    table.appendChild(body);
    page.appendChild(listed.length ? table : C.el("p", { class: "empty", text: "Er zijn nog geen scenario's. Maak er een met 'Nieuw scenario'." }));

    for (const item of listed) {
      const status = C.el("td", { class: "scenario-row__result" });
      const play = button("Afspelen", () => playOne(item.name), { class: "btn btn--small", disabled: !item.valid });
      const titleCell = C.el("td", {},
        C.el("a", { href: `#/trainer/scenarios/${enc(item.name)}`, class: "scenario-row__title", text: item.title }),
        C.el("div", { class: "muted scenario-row__name", text: item.file }));
      if (!item.valid) {
        titleCell.appendChild(C.el("ul", { class: "editor-errors editor-errors--inline" },
          item.errors.map((e) => C.el("li", { text: `regel ${e.line || "?"}: ${e.message}` }))));
      }
      const row = C.el("tr", { class: ["scenario-row", !item.valid && "scenario-row--invalid"], dataset: { name: item.name } },
        titleCell, C.el("td", { text: item.turns }), C.el("td", { text: item.checks }), status,
        C.el("td", { class: "scenario-row__actions" }, play,
          C.el("a", { class: "btn btn--small btn--quiet", href: `#/trainer/scenarios/${enc(item.name)}` }, item.valid ? "Openen" : "Verbeteren")));
      rows.set(item.name, { row, status, play, item });
      showResult(item.name);
      body.appendChild(row);
    }

    function showResult(name) {
      const entry = rows.get(name);
      const result = lastRuns.get(name);
      if (!entry.item.valid) { entry.status.replaceChildren(C.el("span", { class: "error", text: "Fout in het bestand" })); return; }
      if (!result) { entry.status.replaceChildren(C.el("span", { class: "muted", text: "nog niet" })); return; }
      entry.row.classList.toggle("scenario-row--pass", result.passed);
      entry.row.classList.toggle("scenario-row--fail", !result.passed);
      entry.status.replaceChildren(resultBadge(result), " ",
        C.el("a", { href: `#/trainer/scenarios/${enc(name)}`, text: resultText(result) }));
    }

    async function play(name) {
      const entry = rows.get(name);
      const running = C.el("span", { class: "muted running", text: "bezig met afspelen…" });
      entry.status.replaceChildren(running);
      try {
        await runScenario(name, (run) => { running.textContent = progressText(run); });
      } catch (err) {
        entry.status.replaceChildren(C.el("span", { class: "error", text: `Afspelen lukte niet: ${err.message}` }));
        return false;
      }
      showResult(name);
      return lastRuns.get(name).passed;
    }

    async function playOne(name) {
      if (busy) return;
      busy = true;
      setBusy(true);
      await play(name);
      setBusy(false);
      busy = false;
      summarise();
    }

    async function playAll() {
      if (busy) return;
      busy = true;
      setBusy(true);
      const valid = listed.filter((item) => item.valid);
      let done = 0;
      for (const item of valid) {
        summary.textContent = `Bezig: ${done + 1} van ${valid.length} (${item.title})…`;
        await play(item.name);
        done += 1;
      }
      setBusy(false);
      busy = false;
      summarise();
    }

    function setBusy(on) {
      runAll.disabled = on;
      for (const entry of rows.values()) entry.play.disabled = on || !entry.item.valid;
    }

    function summarise() {
      const runs = listed.map((item) => lastRuns.get(item.name)).filter(Boolean);
      const broken = listed.filter((item) => !item.valid).length;
      if (!runs.length) { summary.textContent = broken ? `${broken} bestand(en) met fouten.` : ""; return; }
      const passed = runs.filter((r) => r.passed).length;
      summary.textContent = `${passed} van ${runs.length} afgespeelde scenario's geslaagd` +
        (broken ? `; ${broken} bestand(en) met fouten` : "") + ".";
    }
    summarise();
  }

  // --- scenarios: one scenario ---------------------------------------------------------------

  async function renderScenario(page, params) {
    const name = params.name;
    const detail = await C.api(`/trainer/scenarios/${enc(name)}`);
    const scenario = detail.scenario;
    const head = C.el("div", { class: "scenario-head" });
    const resultBox = C.el("div", { class: "run-summary", id: "run-summary", role: "status", hidden: true });
    const stepsHolder = C.el("div", { class: "steps-holder" });
    const editorHolder = C.el("div", { hidden: true });
    const playButton = button("Afspelen", play, { class: "btn btn--primary", id: "run-scenario", disabled: !detail.valid });
    const editButton = button("Bewerken", () => toggleEditor(true), { id: "edit-scenario" });
    const pathLink = C.el("a", { class: "btn", id: "show-path", hidden: true }, "Pad in het stroomschema");

    head.append(
      C.el("p", { class: "crumbs" }, C.el("a", { href: "#/trainer/scenarios", text: "Scenario's" }), " › ", detail.file),
      C.el("h1", { text: detail.title }),
      scenario ? C.el("p", { class: "persona", text: scenario.persona }) : null);
    if (scenario && (scenario.trainer_checks || []).length) {
      head.appendChild(C.el("div", { class: "trainer-checks" },
        C.el("h2", { text: "Waar let de trainer op" }),
        C.el("ul", {}, scenario.trainer_checks.map((t) => C.el("li", { text: t })))));
    }
    page.append(head, toolbar(playButton, editButton, pathLink), resultBox, stepsHolder, editorHolder);

    function showSteps(result) {
      stepsHolder.replaceChildren(scenario ? stepsList(scenario, result) : C.el("p", { class: "empty", text: "Dit bestand heeft fouten; verbeter het eerst." }));
      if (!result) { resultBox.hidden = true; pathLink.hidden = true; return; }
      resultBox.hidden = false;
      resultBox.className = `run-summary ${result.passed ? "run-summary--pass" : "run-summary--fail"}`;
      resultBox.replaceChildren(resultBadge(result), " ", C.el("span", { text: resultText(result) }),
        C.el("span", { class: "muted", text: ` · ${result.duration_s} s` }));
      if (result.error) resultBox.appendChild(C.el("p", { class: "error", text: result.error }));
      if (result.session_id) {
        pathLink.hidden = false;
        pathLink.href = `#/trainer/flow/${enc(result.session_id)}`;
      }
    }

    async function play() {
      playButton.disabled = true;
      playButton.textContent = "Bezig met afspelen…";
      resultBox.hidden = false;
      resultBox.className = "run-summary";
      resultBox.replaceChildren(C.el("span", { class: "running", id: "run-progress",
        text: "Bezig met afspelen: elke beurt gaat door de echte coach…" }));
      stepsHolder.classList.add("is-stale");
      try {
        const result = await runScenario(name, (run) => {
          // Each step shows green or red as soon as it has been played.
          stepsHolder.replaceChildren(stepsList(scenario, { turns: run.turns }));
          const progress = document.getElementById("run-progress");
          if (progress) progress.textContent = progressText(run);
        });
        showSteps(result);
        const firstRed = stepsHolder.querySelector(".step--fail");
        if (firstRed) firstRed.scrollIntoView({ block: "center" });
      } catch (err) {
        showSteps(lastRuns.get(name));
        C.toast(`Afspelen lukte niet: ${err.message}`, "error");
      } finally {
        stepsHolder.classList.remove("is-stale");
        playButton.disabled = false;
        playButton.textContent = "Opnieuw afspelen";
      }
    }

    let editor = null;
    function toggleEditor(open) {
      editorHolder.hidden = !open;
      stepsHolder.hidden = open;
      resultBox.hidden = open || !lastRuns.get(name);
      editButton.hidden = open;
      playButton.hidden = open;
      if (open && !editor) {
        editor = buildEditor({ name, yaml: detail.yaml, version: detail.version, isNew: false,
          onCancel: () => toggleEditor(false), onSaved: () => C.navigate(`/trainer/scenarios/${enc(name)}`) });
        editorHolder.appendChild(editor.node);
      }
      if (open) editor.focus();
    }

    showSteps(lastRuns.get(name));
    if (!detail.valid) toggleEditor(true);
  }

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

  // --- flow picture ---------------------------------------------------------------------------

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) if (child) node.appendChild(child);
    return node;
  }

  // Dutch names for the custom actions; the code's own descriptions are English.
  // An action not listed here shows its technical name.
  const ACTION_LABELS = {
    action_start_conversation: "Het gesprek begint",
    action_summarize_verkennen: "Samenvatting van verkennen",
    action_summarize_kiezen: "Samenvatting van kiezen",
    action_summarize_verkrijgen: "Samenvatting van de stappen",
    action_enter_kiezen: "Naar de fase kiezen",
    action_enter_verkrijgen: "Naar de fase verkrijgen",
    action_finish: "Plan klaar: afscheid",
    action_resume_conversation: "De coach gaat verder",
    action_show_recorded: "Wat weet je over mij?",
    action_correct_answer: "Een antwoord verbeteren",
    action_go_back: "Vorige vraag",
    action_privacy: "Wie leest dit mee?",
    action_greet_back: "Groet tussendoor",
    action_handoff: "Overdracht naar een begeleider",
    action_handle_fallback: "Niet begrepen",
    action_end_conversation: "Het gesprek stopt voor nu",
    action_after_end: "Bericht na het einde",
    action_continue_talk: "Toch verder praten",
    action_stop_conversation: "De cliënt wil stoppen",
    action_thank_back: "Graag gedaan",
    action_offer_step_changes: "Wat wilt u aan de stappen veranderen?",
    action_edit_step: "Een stap veranderen",
    action_push_back: "De cliënt wil dit niet",
    action_explain_talk: "Uitleg: wat is dit gesprek?",
    action_acknowledge_feeling: "Een gevoel erkennen",
  };

  /** The block's second line in words: what kind of step, never a technical name (that is in the details). */
  function nodeSubtitle(node) {
    if (node.kind === "form") return `vragenlijst · ${(node.slots || []).length} vragen`;
    return KIND_LABELS[node.kind] || node.kind;
  }

  function nodeTitle(node) {
    if (["start", "anywhere", "counsellor"].includes(node.kind)) return node.label;
    if (node.kind === "form") return `Vragen: ${C.label("phase", node.lane)}`;
    if (node.kind === "response" && node.text) return node.text;
    if (node.kind === "action") return ACTION_LABELS[node.id] || node.label;
    return node.label;
  }

  function edgePath(a, b) {
    const ax = a.x + a.w / 2, ay = a.y + a.h / 2, bx = b.x + b.w / 2, by = b.y + b.h / 2;
    if (Math.abs(ay - by) < 1 && Math.abs(bx - ax) > a.w + 60) {  // same row, others between: arc underneath
      const y1 = a.y + a.h, y2 = b.y + b.h, dip = Math.max(y1, y2) + 40;
      return `M${ax},${y1} C${ax},${dip} ${bx},${dip} ${bx},${y2}`;
    }
    if (Math.abs(bx - ax) > (a.w + b.w) / 2) {          // side by side: right edge to left edge
      const dir = bx > ax ? 1 : -1;
      const x1 = ax + dir * a.w / 2, x2 = bx - dir * b.w / 2;
      const bend = Math.max(30, Math.abs(x2 - x1) / 2);
      return `M${x1},${ay} C${x1 + dir * bend},${ay} ${x2 - dir * bend},${by} ${x2},${by}`;
    }
    if (by > ay && b.y >= a.y + a.h) {                   // straight down
      const y1 = a.y + a.h, y2 = b.y;
      return `M${ax},${y1} C${ax},${y1 + 20} ${bx},${y2 - 20} ${bx},${y2}`;
    }
    // Up, or to a node in the same column further away: loop round the right-hand side.
    const x1 = a.x + a.w, x2 = b.x + b.w, out = Math.max(x1, x2) + 18;
    return `M${x1},${ay} C${out},${ay} ${out},${by} ${x2},${by}`;
  }

  async function renderFlow(page, params) {
    const graph = await C.api("/trainer/flow");
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const nodeEls = new Map();
    const edgeEls = new Map();
    const slotEls = new Map();
    const extraEls = new Map();
    let trace = null;
    let selected = null;
    let zoom = 1;

    page.classList.add("page--wide");
    const picker = C.el("select", { id: "path-picker", "aria-label": "Pad tonen van" },
      C.el("option", { value: "", text: "(geen pad)" }));
    const pathInfo = C.el("p", { class: "path-info", id: "path-info", role: "status" });
    const details = C.el("aside", { class: "card flow-details", id: "flow-details", "aria-live": "polite", tabindex: 0,
      "aria-label": "Uitleg bij het gekozen blok" },
      C.el("h2", { text: "Uitleg" }),
      C.el("p", { class: "muted", text: "Klik op een blok in het schema om te zien wat het doet, wat de coach daar zegt en waar het gesprek heen kan." }));
    // Scrollable, so it must be reachable by keyboard (WCAG 2.1.1) and named.
    const canvas = C.el("div", { class: "flow-canvas", id: "flow-canvas", tabindex: 0, role: "region",
      "aria-label": "Stroomschema (schuif om meer te zien)" });

    page.append(
      C.el("h1", { text: "Stroomschema van het gesprek" }),
      C.el("p", { class: "muted trainer-intro", text: "Zo loopt het gesprek van de coach. Het schema past zich vanzelf aan als de coach verandert. " +
        "Kolommen zijn de fasen; onderaan staat wat op elk moment kan (zoals een overdracht naar een begeleider). " +
        "Schuif het schema met de muis of de pijltjestoetsen; + en − maken het groter of kleiner." }),
      toolbar(C.el("label", { for: "path-picker", class: "inline-label", text: "Pad tonen van:" }), picker,
        button("−", () => setZoom(zoom / 1.2), { class: "btn btn--small", "aria-label": "Kleiner" }),
        button("+", () => setZoom(zoom * 1.2), { class: "btn btn--small", "aria-label": "Groter" }),
        button("Passend", () => fit(), { class: "btn btn--small" })),
      legend(), pathInfo,
      C.el("div", { class: "flow-layout" }, canvas, details));

    // --- drawing ---
    // role "group", not "img": the blocks inside are buttons, and an image's content cannot be interactive.
    const picture = svg("svg", { id: "flow-svg", viewBox: `0 0 ${graph.width} ${graph.height}`, role: "group",
      "aria-label": "Stroomschema van het gesprek", class: "flow-svg" });
    const defs = svg("defs", {},
      ["plain", "path", "handoff", "resume"].map((kind) => svg("marker", { id: `arrow-${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5,
        markerWidth: 11, markerHeight: 11, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", class: `arrow arrow--${kind}` }))));
    picture.appendChild(defs);

    for (const lane of graph.lanes.filter((l) => l.x !== null)) {
      const x = lane.x - 10;
      picture.appendChild(svg("rect", { x, y: 8, width: lane.w + 20, height: graph.band_y - 24, rx: 12, class: `lane lane--${lane.key}` }));
      picture.appendChild(svg("text", { x: x + 12, y: 34, class: "lane__title", text: lane.label }));
    }
    picture.appendChild(svg("rect", { x: 10, y: graph.band_y, width: graph.width - 20, height: graph.height - graph.band_y - 10, rx: 12, class: "lane lane--altijd" }));
    picture.appendChild(svg("text", { x: 22, y: graph.band_y + 26, class: "lane__title", text: "Op elk moment" }));

    const edgeLayer = svg("g", { class: "flow-edges" });
    picture.appendChild(edgeLayer);
    for (const edge of graph.edges) {
      const a = byId.get(edge.source), b = byId.get(edge.target);
      if (!a || !b) continue;
      const kind = edge.kind === "handoff" || edge.kind === "resume" ? edge.kind : "plain";
      const line = svg("path", { d: edgePath(a, b), class: `edge edge--${edge.kind}`, "marker-end": `url(#arrow-${kind})` },
        svg("title", { text: edgeTitle(edge) }));
      line.dataset.id = edge.id;
      line.dataset.kind = kind;
      edgeLayer.appendChild(line);
      edgeEls.set(edge.id, line);
    }

    const nodeLayer = svg("g", { class: "flow-nodes" });
    picture.appendChild(nodeLayer);
    for (const node of graph.nodes) {
      const shownTitle = truncate(nodeTitle(node), 30);
      const shownSubtitle = truncate(nodeSubtitle(node), 34);
      // The name says what the block shows (WCAG 2.5.3); the question rows are read in the details.
      const group = svg("g", { class: `flow-node flow-node--${node.kind}`, transform: `translate(${node.x},${node.y})`,
        tabindex: 0, role: "button", "aria-label": `${shownTitle} ${shownSubtitle}`,
        onclick: () => select(node.id),
        onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(node.id); } } },
      svg("rect", { width: node.w, height: node.h, rx: 8, class: "flow-node__box" }),
      // One text with two lines and a space between, so what it shows reads as its name.
      svg("text", {}, svg("tspan", { x: 10, y: 22, class: "flow-node__title", text: shownTitle }), document.createTextNode(" "),
        svg("tspan", { x: 10, y: 41, class: "flow-node__name", text: shownSubtitle })));
      group.dataset.id = node.id;
      // The question rows and the step number sit beside the button, not in it: a button holds only
      // its own name (axe: nested-interactive, label-content-name-mismatch); clicks pass through (CSS).
      const extras = svg("g", { class: "flow-node__extras", transform: `translate(${node.x},${node.y})`, "aria-hidden": "true" });
      extras.dataset.node = node.id;
      (node.slots || []).forEach((slot, i) => {
        const row = svg("g", { class: "flow-slot", transform: `translate(8,${48 + i * 20})` },
          svg("rect", { width: node.w - 16, height: 18, rx: 4, class: "flow-slot__box" }),
          svg("text", { x: 6, y: 13.5, class: "flow-slot__name", text: truncate(slot.label || slot.name, 34) }));
        row.dataset.slot = `${node.id}.${slot.name}`;
        slotEls.set(`${node.id}.${slot.name}`, row);
        extras.appendChild(row);
      });
      const badge = svg("g", { class: "flow-node__step", transform: `translate(${node.w - 14},-8)` },
        svg("circle", { r: 12 }), svg("text", { y: 4.5, "text-anchor": "middle" }));
      extras.appendChild(badge);
      nodeLayer.append(group, extras);
      nodeEls.set(node.id, group);
      extraEls.set(node.id, extras);
    }
    canvas.appendChild(picture);

    function legend() {
      return C.el("ul", { class: "flow-legend", "aria-label": "Legenda" },
        [["flow-legend__box--response", "tekst van de coach"], ["flow-legend__box--action", "actie van de coach"],
          ["flow-legend__box--form", "vragenlijst (met de vragen)"], ["flow-legend__line--handoff", "overdracht naar een mens"],
          ["flow-legend__line--resume", "terug naar de coach"], ["flow-legend__box--path", "pad van het gekozen gesprek"]]
          .map(([cls, text]) => C.el("li", {}, C.el("span", { class: `flow-legend__sym ${cls}`, "aria-hidden": "true" }), text)));
    }

    function edgeTitle(edge) {
      const from = byId.get(edge.source), to = byId.get(edge.target);
      const parts = [`${from ? from.label : edge.source} → ${to ? to.label : edge.target}`];
      if (edge.intents.length) parts.push(`als de cliënt: ${edge.intents.join(", ")}`);
      if (edge.via.length) parts.push(edge.via.join("; "));
      return parts.join("\n");
    }

    // --- zoom ---
    function setZoom(value) {
      zoom = Math.min(2, Math.max(0.4, value));
      picture.style.width = `${Math.round(graph.width * zoom)}px`;
      picture.style.height = `${Math.round(graph.height * zoom)}px`;
    }
    function fit() { setZoom((canvas.clientWidth - 4) / graph.width); }
    setZoom(1);  // readable text (12 px and more) at the browser's normal zoom; "Passend" shows it all
    let drag = null;
    canvas.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || event.target.closest(".flow-node")) return;
      drag = { x: event.clientX, y: event.clientY, left: canvas.scrollLeft, top: canvas.scrollTop };
      canvas.classList.add("is-dragging");
    });
    window.addEventListener("pointermove", (event) => {
      if (!drag) return;
      canvas.scrollLeft = drag.left - (event.clientX - drag.x);
      canvas.scrollTop = drag.top - (event.clientY - drag.y);
    });
    window.addEventListener("pointerup", () => { drag = null; canvas.classList.remove("is-dragging"); });

    // --- details ---
    function select(id) {
      if (selected) nodeEls.get(selected).classList.remove("is-selected");
      selected = id;
      nodeEls.get(id).classList.add("is-selected");
      const node = byId.get(id);
      const incoming = graph.edges.filter((e) => e.target === id);
      const outgoing = graph.edges.filter((e) => e.source === id);
      const stepNo = trace ? trace.nodes.indexOf(id) : -1;
      const parts = [
        C.el("h2", { text: nodeTitle(node) }),
        C.el("p", { class: "muted" }, C.el("span", { class: "tag", text: KIND_LABELS[node.kind] || node.kind }), " ",
          C.el("code", { text: node.label }), node.lane && node.lane !== "altijd" ? ` · fase ${C.label("phase", node.lane)}` : ""),
      ];
      if (stepNo >= 0) parts.push(C.el("p", { class: "path-note", text: `Stap ${stepNo + 1} van het gekozen pad.` }));
      if (node.text) parts.push(C.el("h3", { text: "De coach zegt" }), C.el("blockquote", { class: "quote", text: node.text }));
      if (node.mi_code) parts.push(C.el("p", {}, "MI: ", C.el("span", { class: "tag tag--mi", text: miLabel(node.mi_code) })));
      if (node.doc && node.kind !== "response") {
        parts.push(C.el("h3", { text: "Wat het doet (uit de code)" }), C.el("p", { lang: "en", text: node.doc }));
      }
      if ((node.slots || []).length) {
        const asked = new Set(trace ? trace.slots : []);
        parts.push(C.el("h3", { text: "Vragen in deze vragenlijst" }), C.el("ol", { class: "slot-list" },
          node.slots.map((slot) => C.el("li", { class: asked.has(`${id}.${slot.name}`) ? "slot-list__item is-on-path" : "slot-list__item" },
            C.el("strong", { text: slot.label || slot.name }),
            slot.text ? C.el("div", { text: slot.text }) : null,
            C.el("div", { class: "muted", text: `technische naam: ${slot.name}` }),
            slot.plan_path ? C.el("div", { class: "muted", text: `in het plan: ${slot.plan_path}` }) : null))));
      }
      const says = (node.responses || []).filter((r) => r !== node.id);
      if (says.length && node.kind !== "response") {
        parts.push(C.el("h3", { text: "Kan zeggen" }), C.el("p", { class: "name-list", text: says.join(", ") }));
      }
      const link = (edge, other) => C.el("li", {},
        C.el("button", { type: "button", class: "linklike", onclick: () => select(other), text: nodeTitle(byId.get(other)) }),
        edge.intents.length ? C.el("span", { class: "muted", text: ` · als de cliënt: ${edge.intents.join(", ")}` }) : null,
        edge.kind === "handoff" ? C.el("span", { class: "tag tag--emotion", text: "overdracht" }) : null);
      if (incoming.length) parts.push(C.el("h3", { text: "Komt na" }), C.el("ul", { class: "edge-list" }, incoming.map((e) => link(e, e.source))));
      if (outgoing.length) parts.push(C.el("h3", { text: "Gaat verder naar" }), C.el("ul", { class: "edge-list" }, outgoing.map((e) => link(e, e.target))));
      details.replaceChildren(...parts);
    }

    // --- path ---
    function showTrace(found, label) {
      trace = found;
      for (const el of nodeEls.values()) el.classList.remove("is-on-path");
      for (const el of extraEls.values()) { el.classList.remove("is-on-path"); el.querySelector(".flow-node__step text").textContent = ""; }
      for (const el of edgeEls.values()) {
        el.classList.remove("is-on-path");
        el.setAttribute("marker-end", `url(#arrow-${el.dataset.kind})`);
      }
      for (const el of slotEls.values()) el.classList.remove("is-on-path");
      picture.classList.toggle("has-path", Boolean(found));
      if (!found) { pathInfo.textContent = ""; return; }
      found.nodes.forEach((id, i) => {
        const el = nodeEls.get(id);
        if (!el) return;
        el.classList.add("is-on-path");
        const extras = extraEls.get(id);
        extras.classList.add("is-on-path");
        extras.querySelector(".flow-node__step text").textContent = String(i + 1);
      });
      for (const id of found.edges) {
        const el = edgeEls.get(id);
        if (el) { el.classList.add("is-on-path"); el.setAttribute("marker-end", "url(#arrow-path)"); edgeLayer.appendChild(el); }
      }
      for (const key of found.slots) { const el = slotEls.get(key); if (el) el.classList.add("is-on-path"); }
      const unplaced = found.unplaced || [];
      pathInfo.textContent = `${label}: ${found.nodes.length} blokken, ${found.slots.length} vragen op het pad.` +
        (unplaced.length ? ` Niet in het schema gevonden: ${unplaced.join(", ")}.` : "");
      if (selected) select(selected);
    }

    async function loadPath(sessionId) {
      if (!sessionId) { showTrace(null); return; }
      try {
        const found = await C.api(`/trainer/sessions/${enc(sessionId)}/path`);
        const option = Array.from(picker.options).find((o) => o.value === sessionId);
        showTrace(found, option ? option.textContent : "Gesprek");
      } catch (err) {
        showTrace(null);
        C.toast(`Het pad kon niet geladen worden: ${err.message}`, "error");
      }
    }

    // Choices: this tab's replays first, then sandbox conversations.
    for (const [name, result] of lastRuns) {
      if (result.session_id) picker.appendChild(C.el("option", { value: result.session_id, text: `Scenario: ${result.scenario.title}` }));
    }
    try {
      const sandbox = await C.api("/staff/sessions?training=true&limit=30");
      for (const s of sandbox) {
        if (Array.from(picker.options).some((o) => o.value === s.id)) continue;
        picker.appendChild(C.el("option", { value: s.id, text: `Oefengesprek van ${C.formatTime(s.started_at)} (${C.label("status", s.status)})` }));
      }
    } catch (err) { /* the picture works without the list */ }
    if (params.session && !Array.from(picker.options).some((o) => o.value === params.session)) {
      picker.appendChild(C.el("option", { value: params.session, text: `Gesprek ${params.session.slice(0, 8)}` }));
    }
    picker.addEventListener("change", () => {
      const target = picker.value ? `/trainer/flow/${enc(picker.value)}` : "/trainer/flow";
      window.history.replaceState(null, "", "#" + target);
      loadPath(picker.value);
    });
    if (params.session) {
      picker.value = params.session;
      await loadPath(params.session);
    }
    return () => {};
  }

  // --- sandbox --------------------------------------------------------------------------------

  const SANDBOX_NOTE = "Oefengesprekken zijn gemarkeerd als training: ze staan nooit tussen de gesprekken van cliënten, " +
    "tellen niet mee in de cijfers en zijn in één keer te wissen.";

  async function renderSandbox(page) {
    page.append(C.el("h1", { text: "Oefenen" }),
      C.el("p", { class: "training-banner", text: SANDBOX_NOTE }));
    const start = button("Start een oefengesprek", async () => {
      start.disabled = true;
      try {
        const created = await C.api("/trainer/sessions", { method: "POST", body: { language: "nl" } });
        C.navigate(`/trainer/sandbox/${enc(created.session_id)}`);
      } catch (err) {
        C.toast(`Starten lukte niet: ${err.message}`, "error");
        start.disabled = false;
      }
    }, { class: "btn btn--primary", id: "sandbox-start" });
    const confirmBox = C.el("span", { class: "confirm", hidden: true },
      C.el("span", { text: "Alle oefengesprekken en hun plannen worden gewist. Gesprekken van cliënten blijven staan. Zeker weten?" }),
      button("Ja, alles wissen", wipe, { class: "btn btn--danger", id: "sandbox-wipe-confirm" }),
      button("Nee", () => { confirmBox.hidden = true; }, { class: "btn btn--quiet" }));
    const list = C.el("div", { id: "sandbox-list" });
    page.append(toolbar(start, button("Alle oefengesprekken wissen", () => { confirmBox.hidden = false; },
      { class: "btn btn--danger", id: "sandbox-wipe" }), confirmBox), section("Oefengesprekken", list));

    async function load() {
      const sessions = await C.api("/staff/sessions?training=true&limit=100");
      if (!sessions.length) { list.replaceChildren(C.el("p", { class: "empty", text: "Er zijn geen oefengesprekken." })); return; }
      list.replaceChildren(C.el("table", { class: "trainer-table" },
        C.el("thead", {}, C.el("tr", {}, ["Gestart", "Status", "Fase", ""].map((h) => C.el("th", { scope: "col", text: h })))),
        C.el("tbody", {}, sessions.map((s) => C.el("tr", { dataset: { id: s.id } },
          C.el("td", { text: C.formatTime(s.started_at) }),
          C.el("td", {}, C.el("span", { class: `tag tag--${s.status}`, text: C.label("status", s.status) }),
            s.handoff ? C.el("span", { class: `tag tag--${s.handoff.reason}`, text: C.label("reason", s.handoff.reason) }) : null),
          C.el("td", { text: C.label("phase", s.phase) }),
          C.el("td", { class: "scenario-row__actions" },
            s.status !== "closed" ? C.el("a", { class: "btn btn--small", href: `#/trainer/sandbox/${enc(s.id)}` }, "Als cliënt") : null,
            C.el("a", { class: "btn btn--small", href: `#/live/${enc(s.id)}` }, "Als begeleider"),
            C.el("a", { class: "btn btn--small", href: `#/sessions/${enc(s.id)}` }, "Transcript"),
            C.el("a", { class: "btn btn--small btn--quiet", href: `#/trainer/flow/${enc(s.id)}` }, "Pad")))))));
    }

    async function wipe() {
      confirmBox.hidden = true;
      try {
        const counts = await C.api("/trainer/sessions", { method: "DELETE" });
        C.toast(`Gewist: ${counted(counts.sessions, "oefengesprek", "oefengesprekken")}, ` +
          `${counted(counts.messages, "bericht", "berichten")}, ${counted(counts.plans, "plan", "plannen")}.`, "success");
      } catch (err) {
        C.toast(`Wissen lukte niet: ${err.message}`, "error");
      }
      await load();
    }

    await load();
    const stop = C.on("session", () => load().catch(() => {}));
    return stop;
  }

  async function renderSandboxChat(page, params) {
    const id = params.id;
    const base = `/trainer/sessions/${enc(id)}`;
    let state = await C.api(`${base}/messages`);
    let lastId = null;
    let pollTimer = null;
    let sending = false;

    const log = C.el("div", { class: "transcript sandbox-log", id: "sandbox-log", role: "log", "aria-label": "Oefengesprek", tabindex: 0 });
    const replies = C.el("div", { class: "sandbox-replies", id: "sandbox-replies" });
    const input = C.el("textarea", { id: "sandbox-input", rows: 2, maxlength: 2000, "aria-label": "Wat de cliënt typt",
      placeholder: "Typ zoals een cliënt… (Enter verstuurt)" });
    const send = button("Verstuur", () => say(input.value), { class: "btn btn--primary", id: "sandbox-send" });
    const human = button(REQUEST_HUMAN.title, () => say(REQUEST_HUMAN.payload, REQUEST_HUMAN.title), { class: "btn", id: "sandbox-human" });
    const tags = C.el("span", { class: "live__tags" });
    const notice = C.el("p", { class: "sandbox-notice", id: "sandbox-notice", hidden: true });

    page.append(
      C.el("p", { class: "crumbs" }, C.el("a", { href: "#/trainer/sandbox", text: "Oefenen" }), " › gesprek"),
      C.el("div", { class: "live__head" }, C.el("h1", { text: "Oefengesprek" }), tags),
      C.el("p", { class: "training-banner", text: "U speelt de cliënt. " + SANDBOX_NOTE }),
      toolbar(C.el("a", { class: "btn", href: `#/live/${enc(id)}`, id: "sandbox-as-counsellor" }, "Als begeleider openen (overnemen, teruggeven)"),
        C.el("a", { class: "btn btn--quiet", href: `#/trainer/flow/${enc(id)}` }, "Pad in het stroomschema")),
      notice, log, replies,
      C.el("div", { class: "composer" }, input, C.el("div", {}, send, C.el("br"), human)));

    function append(messages) {
      for (const message of messages) {
        if (message.sender === "system") {
          log.appendChild(C.el("div", { class: "event", text: message.text || message.event || "" }));
        } else {
          log.appendChild(C.el("div", { class: ["bubble", `bubble--${message.sender}`] },
            C.el("span", { class: "bubble__who", text: message.sender === "bot" ? "Coach" : C.label("sender", message.sender) }),
            C.el("span", { class: "bubble__text", text: message.text }),
            message.utter_action ? C.el("span", { class: "bubble__info", text: message.utter_action }) : null));
        }
        lastId = message.id;
      }
      if (messages.length) log.scrollTop = log.scrollHeight;
      const lastBot = [...messages].reverse().find((m) => m.sender === "bot");
      if (lastBot) drawReplies(lastBot.buttons || []);
    }

    function drawReplies(buttons) {
      replies.replaceChildren(...buttons.map((b) => button(b.title, () => say(b.payload, b.title), { class: "btn quick-reply" })));
    }

    function showState() {
      // DOM's replaceChildren/append write a null as the text "null": leave absent parts out.
      tags.replaceChildren(...[C.el("span", { class: `tag tag--${state.status}`, id: "sandbox-status", text: C.label("status", state.status) }), " ",
        C.el("span", { class: "tag", id: "sandbox-phase", text: `fase ${C.label("phase", state.phase)}` }), " ",
        state.handoff ? C.el("span", { class: `tag tag--${state.handoff.reason}`, text: C.label("reason", state.handoff.reason) }) : null,
        state.handoff ? " " : null,
        C.el("span", { class: "tag", text: "oefensessie" })].filter(Boolean));
      const open = state.status !== "closed";
      input.disabled = !open; send.disabled = !open; human.disabled = !open || state.status !== "bot";
      notice.hidden = state.status === "bot";
      notice.textContent = {
        waiting_for_human: "De coach is gestopt en wacht op een begeleider. Open het gesprek als begeleider om over te nemen.",
        human: "Een begeleider heeft het gesprek. Wat u nu typt, gaat naar de begeleider.",
        closed: "Dit oefengesprek is afgesloten.",
      }[state.status] || "";
      if (state.status !== "bot") replies.replaceChildren();
    }

    async function say(text, title) {
      if (sending || !text.trim()) return;
      sending = true;
      send.disabled = true;
      try {
        const turn = await C.api(`${base}/messages`, { method: "POST", body: title ? { text, title } : { text } });
        if (!title) input.value = "";
        replies.replaceChildren();
        append(turn.messages);
        state = { ...state, status: turn.status, phase: turn.phase, handoff: turn.handoff };
        showState();
      } catch (err) {
        C.toast(`Versturen lukte niet: ${err.message}`, "error");
      } finally {
        sending = false;
        send.disabled = state.status === "closed";
        input.focus();
      }
    }

    async function poll() {
      try {
        const fresh = await C.api(`${base}/messages` + (lastId ? `?after=${enc(lastId)}` : ""));
        append(fresh.messages);
        state = fresh;
        showState();
      } catch (err) { /* try again on the next tick */ }
      pollTimer = window.setTimeout(poll, SANDBOX_POLL_MS);
    }

    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); say(input.value); }
    });
    append(state.messages);
    showState();
    pollTimer = window.setTimeout(poll, SANDBOX_POLL_MS);
    input.focus();
    return () => window.clearTimeout(pollTimer);
  }

  // --- wording review ------------------------------------------------------------------------

  async function renderWording(page) {
    const catalog = await C.api("/trainer/responses");
    const search = C.el("input", { id: "wording-search", type: "search", placeholder: "Zoek in tekst of naam", "aria-label": "Zoek in de teksten" });
    const codeFilter = C.el("select", { id: "wording-code", "aria-label": "MI-code" },
      C.el("option", { value: "", text: "Alle MI-codes" }),
      Object.keys(catalog.mi_code_counts).map((code) => C.el("option", { value: code, text: `${miLabel(code === "(geen)" ? null : code)} (${catalog.mi_code_counts[code]})` })));
    const count = C.el("p", { class: "muted", id: "wording-count", role: "status" });
    const list = C.el("div", { class: "wording-list", id: "wording-list" });
    const missing = catalog.responses.filter((r) => r.missing_mi_code).length;

    page.append(...[C.el("h1", { text: "Teksten van de coach" }),
      C.el("p", { class: "muted trainer-intro", text: "Elke tekst die de coach kan zeggen, met de MI-code (de gesprekstechniek) en alle varianten. " +
        "De coach kiest per keer één variant, zodat hij niet steeds hetzelfde zegt." }),
      C.el("ul", { class: "mi-summary", "aria-label": "Aantal varianten per MI-code" },
        Object.entries(catalog.mi_code_counts).map(([code, n]) => C.el("li", {},
          C.el("button", { type: "button", class: "chip chip--button", onclick: () => { codeFilter.value = code; draw(); },
            text: `${miLabel(code === "(geen)" ? null : code)}: ${n}` })))),
      missing ? C.el("p", { class: "warning", text: `${missing} tekst(en) zonder MI-code bij een of meer varianten.` }) : null,
      toolbar(search, codeFilter), count, list].filter(Boolean));

    function matches(item, words, code) {
      if (code && !(code === "(geen)" ? item.missing_mi_code : item.variations.some((v) => v.mi_code === code))) return false;
      if (!words) return true;
      const haystack = [item.name, ...item.variations.map((v) => v.text), ...item.variations.flatMap((v) => v.buttons)].join(" ").toLowerCase();
      return words.split(/\s+/).every((w) => haystack.includes(w));
    }

    function card(item) {
      return C.el("article", { class: "card wording", dataset: { name: item.name } },
        C.el("header", { class: "wording__head" },
          C.el("h2", { class: "wording__name" }, C.el("code", { text: item.name })),
          item.mi_codes.map((code) => C.el("span", { class: "tag tag--mi", text: miLabel(code) })),
          item.missing_mi_code ? C.el("span", { class: "tag tag--warn", text: "MI-code ontbreekt" }) : null),
        item.used_by.length ? C.el("p", { class: "muted wording__used", text: `Gebruikt door: ${item.used_by.join(", ")}` }) : null,
        C.el("ol", { class: "wording__variations" }, item.variations.map((v) => C.el("li", {},
          C.el("p", { class: "wording__text", text: v.text }),
          v.buttons.length ? C.el("div", { class: "step-msg__buttons" }, v.buttons.map((b) => C.el("span", { class: "chip", text: b }))) : null,
          v.condition.length || (v.mi_code && item.mi_codes.length > 1) ? C.el("p", { class: "muted" },
            v.condition.length ? `alleen als ${v.condition.join(" en ")}` : "",
            v.mi_code && item.mi_codes.length > 1 ? ` · ${miLabel(v.mi_code)}` : "") : null))));
    }

    function draw() {
      const words = search.value.trim().toLowerCase();
      const shown = catalog.responses.filter((item) => matches(item, words, codeFilter.value));
      const variations = shown.reduce((n, item) => n + item.variations.length, 0);
      count.textContent = `${shown.length} van ${catalog.responses.length} teksten, ${variations} varianten.`;
      list.replaceChildren(...shown.map(card));
    }

    search.addEventListener("input", draw);
    codeFilter.addEventListener("change", draw);
    draw();
  }

  // --- routes ---------------------------------------------------------------------------------

  C.scenarioEditor = buildEditor;
  C.register("/trainer/scenarios", { title: "Scenario's", roles: ROLES, nav: true, home: true, order: 20, render: renderLibrary });
  C.register("/trainer/scenarios/:name", { title: "Scenario", roles: ROLES, render: renderScenario });
  C.register("/trainer/new", { title: "Nieuw scenario", roles: ROLES, render: renderNew });
  C.register("/trainer/from/:session", { title: "Scenario uit een gesprek", roles: ROLES, render: renderFromSession });
  C.register("/trainer/flow", { title: "Stroomschema", roles: ROLES, nav: true, order: 21, render: renderFlow });
  C.register("/trainer/flow/:session", { title: "Stroomschema", roles: ROLES, render: renderFlow });
  C.register("/trainer/sandbox", { title: "Oefenen", roles: ROLES, nav: true, order: 22, render: renderSandbox });
  C.register("/trainer/sandbox/:id", { title: "Oefengesprek", roles: ROLES, render: renderSandboxChat });
  C.register("/trainer/wording", { title: "Teksten", roles: ROLES, nav: true, order: 23, render: renderWording });
})();
