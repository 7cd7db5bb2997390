// Trainer workbench: the flow picture (#/trainer/flow, #/trainer/flow/:session): the conversation as the coach runs
// it, drawn from the graph the API builds from domain, rules and stories; zoom and pan, details
// of a block in words, and the path a replay or sandbox conversation took.
// Scenario, client and bot text only ever reaches the page as text.
"use strict";

(function () {
  const C = window.Console;
  const { ROLES, SVG_NS, lastRuns, enc, KIND_LABELS, miLabel, truncate, toolbar, button } = C.trainer;

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

  function legend() {
    return C.el("ul", { class: "flow-legend", "aria-label": "Legenda" },
      [["flow-legend__box--response", "tekst van de coach"], ["flow-legend__box--action", "actie van de coach"],
        ["flow-legend__box--form", "vragenlijst (met de vragen)"], ["flow-legend__line--handoff", "overdracht naar een mens"],
        ["flow-legend__line--resume", "terug naar de coach"], ["flow-legend__box--path", "pad van het gekozen gesprek"]]
        .map(([cls, text]) => C.el("li", {}, C.el("span", { class: `flow-legend__sym ${cls}`, "aria-hidden": "true" }), text)));
  }

  function edgeTitle(edge, byId) {
    const from = byId.get(edge.source), to = byId.get(edge.target);
    const parts = [`${from ? from.label : edge.source} → ${to ? to.label : edge.target}`];
    if (edge.intents.length) parts.push(`als de cliënt: ${edge.intents.join(", ")}`);
    if (edge.via.length) parts.push(edge.via.join("; "));
    return parts.join("\n");
  }

  /** The SVG of the graph: phase lanes, the "Op elk moment" band, edges and one button per block. */
  function drawPicture(graph, byId, onSelect) {
    const drawn = { nodeEls: new Map(), edgeEls: new Map(), slotEls: new Map(), extraEls: new Map() };
    // role "group", not "img": the blocks inside are buttons, and an image's content cannot be interactive.
    const picture = svg("svg", { id: "flow-svg", viewBox: `0 0 ${graph.width} ${graph.height}`, role: "group",
      "aria-label": "Stroomschema van het gesprek", class: "flow-svg" });
    picture.appendChild(svg("defs", {},
      ["plain", "path", "handoff", "resume"].map((kind) => svg("marker", { id: `arrow-${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5,
        markerWidth: 11, markerHeight: 11, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", class: `arrow arrow--${kind}` })))));

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
        svg("title", { text: edgeTitle(edge, byId) }));
      line.dataset.id = edge.id;
      line.dataset.kind = kind;
      edgeLayer.appendChild(line);
      drawn.edgeEls.set(edge.id, line);
    }

    const nodeLayer = svg("g", { class: "flow-nodes" });
    picture.appendChild(nodeLayer);
    for (const node of graph.nodes) {
      const shownTitle = truncate(nodeTitle(node), 30);
      const shownSubtitle = truncate(nodeSubtitle(node), 34);
      // The name says what the block shows (WCAG 2.5.3); the question rows are read in the details.
      const group = svg("g", { class: `flow-node flow-node--${node.kind}`, transform: `translate(${node.x},${node.y})`,
        tabindex: 0, role: "button", "aria-label": `${shownTitle} ${shownSubtitle}`,
        onclick: () => onSelect(node.id),
        onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); onSelect(node.id); } } },
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
        drawn.slotEls.set(`${node.id}.${slot.name}`, row);
        extras.appendChild(row);
      });
      const badge = svg("g", { class: "flow-node__step", transform: `translate(${node.w - 14},-8)` },
        svg("circle", { r: 12 }), svg("text", { y: 4.5, "text-anchor": "middle" }));
      extras.appendChild(badge);
      nodeLayer.append(group, extras);
      drawn.nodeEls.set(node.id, group);
      drawn.extraEls.set(node.id, extras);
    }
    return { picture, edgeLayer, ...drawn };
  }

  /** What the details panel says about one block: what it is, what the coach says there, its
   *  questions (those on the chosen path marked), and where the talk comes from and goes to. */
  function detailsOf(node, graph, byId, trace, onSelect) {
    const id = node.id;
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
      C.el("button", { type: "button", class: "linklike", onclick: () => onSelect(other), text: nodeTitle(byId.get(other)) }),
      edge.intents.length ? C.el("span", { class: "muted", text: ` · als de cliënt: ${edge.intents.join(", ")}` }) : null,
      edge.kind === "handoff" ? C.el("span", { class: "tag tag--emotion", text: "overdracht" }) : null);
    if (incoming.length) parts.push(C.el("h3", { text: "Komt na" }), C.el("ul", { class: "edge-list" }, incoming.map((e) => link(e, e.source))));
    if (outgoing.length) parts.push(C.el("h3", { text: "Gaat verder naar" }), C.el("ul", { class: "edge-list" }, outgoing.map((e) => link(e, e.target))));
    return parts;
  }

  /** Mark the blocks, arrows and questions of a path (numbered in order), or clear the marks. */
  function markPath(drawn, found) {
    for (const el of drawn.nodeEls.values()) el.classList.remove("is-on-path");
    for (const el of drawn.extraEls.values()) { el.classList.remove("is-on-path"); el.querySelector(".flow-node__step text").textContent = ""; }
    for (const el of drawn.edgeEls.values()) {
      el.classList.remove("is-on-path");
      el.setAttribute("marker-end", `url(#arrow-${el.dataset.kind})`);
    }
    for (const el of drawn.slotEls.values()) el.classList.remove("is-on-path");
    drawn.picture.classList.toggle("has-path", Boolean(found));
    if (!found) return;
    found.nodes.forEach((id, i) => {
      const el = drawn.nodeEls.get(id);
      if (!el) return;
      el.classList.add("is-on-path");
      const extras = drawn.extraEls.get(id);
      extras.classList.add("is-on-path");
      extras.querySelector(".flow-node__step text").textContent = String(i + 1);
    });
    for (const id of found.edges) {
      const el = drawn.edgeEls.get(id);
      if (el) { el.classList.add("is-on-path"); el.setAttribute("marker-end", "url(#arrow-path)"); drawn.edgeLayer.appendChild(el); }
    }
    for (const key of found.slots) { const el = drawn.slotEls.get(key); if (el) el.classList.add("is-on-path"); }
  }

  /** Drag the empty canvas to pan; returns what removes the listeners when the page is left. */
  function panByDragging(canvas) {
    let drag = null;
    const down = (event) => {
      if (event.button !== 0 || event.target.closest(".flow-node")) return;
      drag = { x: event.clientX, y: event.clientY, left: canvas.scrollLeft, top: canvas.scrollTop };
      canvas.classList.add("is-dragging");
    };
    const move = (event) => {
      if (!drag) return;
      canvas.scrollLeft = drag.left - (event.clientX - drag.x);
      canvas.scrollTop = drag.top - (event.clientY - drag.y);
    };
    const up = () => { drag = null; canvas.classList.remove("is-dragging"); };
    canvas.addEventListener("pointerdown", down);
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    return () => { window.removeEventListener("pointermove", move); window.removeEventListener("pointerup", up); };
  }

  /** The conversations whose path can be shown: this tab's replays first, then sandbox talks. */
  async function pathChoices(picker, wanted) {
    for (const result of lastRuns.values()) {
      if (result.session_id) picker.appendChild(C.el("option", { value: result.session_id, text: `Scenario: ${result.scenario.title}` }));
    }
    try {
      const sandbox = await C.api("/staff/sessions?training=true&limit=30");
      for (const s of sandbox) {
        if (Array.from(picker.options).some((o) => o.value === s.id)) continue;
        picker.appendChild(C.el("option", { value: s.id, text: `Oefengesprek van ${C.formatTime(s.started_at)} (${C.label("status", s.status)})` }));
      }
    } catch (err) { /* the picture works without the list */ }
    if (wanted && !Array.from(picker.options).some((o) => o.value === wanted)) {
      picker.appendChild(C.el("option", { value: wanted, text: `Gesprek ${wanted.slice(0, 8)}` }));
    }
  }

  async function renderFlow(page, params) {
    const graph = await C.api("/trainer/flow");
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
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

    const drawn = drawPicture(graph, byId, select);
    canvas.appendChild(drawn.picture);

    function setZoom(value) {
      zoom = Math.min(2, Math.max(0.4, value));
      drawn.picture.style.width = `${Math.round(graph.width * zoom)}px`;
      drawn.picture.style.height = `${Math.round(graph.height * zoom)}px`;
    }
    function fit() { setZoom((canvas.clientWidth - 4) / graph.width); }
    setZoom(1);  // readable text (12 px and more) at the browser's normal zoom; "Passend" shows it all
    const stopPanning = panByDragging(canvas);

    function select(id) {
      if (selected) drawn.nodeEls.get(selected).classList.remove("is-selected");
      selected = id;
      drawn.nodeEls.get(id).classList.add("is-selected");
      details.replaceChildren(...detailsOf(byId.get(id), graph, byId, trace, select));
    }

    function showTrace(found, label) {
      trace = found;
      markPath(drawn, found);
      if (!found) { pathInfo.textContent = ""; return; }
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

    await pathChoices(picker, params.session);
    picker.addEventListener("change", () => {
      const target = picker.value ? `/trainer/flow/${enc(picker.value)}` : "/trainer/flow";
      window.history.replaceState(null, "", "#" + target);
      loadPath(picker.value);
    });
    if (params.session) {
      picker.value = params.session;
      await loadPath(params.session);
    }
    return stopPanning;
  }

  C.register("/trainer/flow", { title: "Stroomschema", roles: ROLES, nav: true, order: 21, render: renderFlow });
  C.register("/trainer/flow/:session", { title: "Stroomschema", roles: ROLES, render: renderFlow });
})();
