// Trainer workbench: the scenario library (#/trainer/scenarios) and one scenario (#/trainer/scenarios/:name):
// what each step expects in words, replay one or all as background jobs with every step green or
// red and its reason, and what the coach understood of each client turn.
// Scenario, client and bot text only ever reaches the page as text.
"use strict";

(function () {
  const C = window.Console;
  const { ROLES, lastRuns, enc, PLAN_STATES, RUN_POLL_MS, miLabel, toolbar, button } = C.trainer;

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
        editor = C.scenarioEditor({ name, yaml: detail.yaml, version: detail.version, isNew: false,
          onCancel: () => toggleEditor(false), onSaved: () => C.navigate(`/trainer/scenarios/${enc(name)}`) });
        editorHolder.appendChild(editor.node);
      }
      if (open) editor.focus();
    }

    showSteps(lastRuns.get(name));
    if (!detail.valid) toggleEditor(true);
  }


  C.register("/trainer/scenarios", { title: "Scenario's", roles: ROLES, nav: true, home: true, order: 20, render: renderLibrary });
  C.register("/trainer/scenarios/:name", { title: "Scenario", roles: ROLES, render: renderScenario });
})();
