// Records (#/sessions, #/sessions/:id): find a conversation and read its transcript with what
// the coach understood. The plan of a conversation (#/plan/:id) is plan/page.js; what both use is
// records_common.js. Every client word reaches the page through textContent (Console.el), never
// as HTML.
"use strict";

(function () {
  const C = window.Console;
  const { API, el, formatDateTime, isoDay, shorten, request, saveBlob, notice, focus } = C.records;
  const ROLES = ["counsellor", "admin", "trainer"];
  const PAGE_SIZE = 20;
  const FILTER_STORE = "toekomstcoach.console.records.filters";
  const EVENT_TEXT = {
    takeover: "Begeleider neemt het gesprek over",
    handback: "Teruggegeven aan de coach",
    closed: "Gesprek afgesloten",
    client_left: "De cliënt is weggegaan bij de kiosk (de oproep blijft staan)",
  };

  /** The list's preview of the last message; state-change notes carry a machine key as text. */
  function previewText(text) {
    const value = text || "";
    if (value.startsWith("handoff:")) return `(doorgegeven aan een begeleider: ${C.label("reason", value.slice(8))})`;
    return EVENT_TEXT[value] ? `(${EVENT_TEXT[value].toLowerCase()})` : value;
  }

  function sessionName(summary) {
    return summary.client_ref ? `cliënt ${summary.client_ref}` : `gesprek ${summary.id.slice(0, 8)}`;
  }

  // --- the session list (#/sessions) -----------------------------------------------------

  const EMPTY_FILTERS = { q: "", client_ref: "", status: "", phase: "", reason: "", from: "", to: "", offset: 0 };

  function loadFilters() {
    try { return { ...EMPTY_FILTERS, ...JSON.parse(window.sessionStorage.getItem(FILTER_STORE) || "{}") }; }
    catch (err) { return { ...EMPTY_FILTERS }; }
  }

  function storeFilters(filters) {
    window.sessionStorage.setItem(FILTER_STORE, JSON.stringify(filters));
  }

  function selectOf(id, label, kind, values, current) {
    return el("div", { class: "rec-filter" },
      el("label", { for: id, text: label }),
      el("select", { id }, el("option", { value: "", text: "alle" }),
        values.map((value) => el("option", { value, selected: value === current, text: C.label(kind, value) }))));
  }

  function inputOf(id, label, type, current, extra = {}) {
    return el("div", { class: "rec-filter" },
      el("label", { for: id, text: label }),
      el("input", { id, type, value: current || "", ...extra }));
  }

  async function renderList(page) {
    let filters = loadFilters();
    const form = el("form", { class: "card rec-filters", id: "rec-filters", role: "search" },
      inputOf("rec-q", "Zoek in de tekst van het gesprek", "search", filters.q,
        { placeholder: "bijv. winkel, school, broer", maxlength: 200 }),
      inputOf("rec-client", "Cliëntnummer", "text", filters.client_ref, { placeholder: "bijv. GN-2025-017", maxlength: 128 }),
      selectOf("rec-status", "Status", "status", ["bot", "waiting_for_human", "human", "closed"], filters.status),
      selectOf("rec-phase", "Fase", "phase", ["verkennen", "kiezen", "verkrijgen", "afgerond"], filters.phase),
      selectOf("rec-reason", "Doorverwezen wegens", "reason", ["crisis", "emotion", "uncertain", "request"], filters.reason),
      inputOf("rec-from", "Gestart vanaf", "date", filters.from),
      inputOf("rec-to", "Gestart tot en met", "date", filters.to),
      el("div", { class: "rec-filters__buttons" },
        el("button", { class: "btn btn--primary", type: "submit", id: "rec-search" }, "Zoeken"),
        el("button", { class: "btn", type: "button", id: "rec-yesterday", onclick: () => presetDays(1, 1) }, "Gisteren"),
        el("button", { class: "btn", type: "button", onclick: () => presetDays(0, 0) }, "Vandaag"),
        el("button", { class: "btn", type: "button", onclick: () => presetDays(7, 0) }, "Afgelopen week"),
        el("button", { class: "btn btn--quiet", type: "button", id: "rec-clear", onclick: clear }, "Wissen")));
    const status = el("p", { class: "muted", id: "rec-count", "aria-live": "polite" });
    const results = el("div", { id: "rec-results" });
    const pager = el("nav", { class: "rec-pager", "aria-label": "Pagina's" });
    page.append(
      el("h1", { text: "Gesprekken" }),
      el("p", { class: "muted", text: "Zoek een gesprek op datum, cliëntnummer, status of woorden uit het gesprek. " +
        "Klik op een gesprek om het transcript en het actieplan te openen." }),
      form, status, results, pager);

    function read() {
      const value = (id) => document.getElementById(id).value.trim();
      return { q: value("rec-q"), client_ref: value("rec-client"), status: value("rec-status"), phase: value("rec-phase"),
        reason: value("rec-reason"), from: value("rec-from"), to: value("rec-to"), offset: 0 };
    }

    function presetDays(back, until) {
      const from = new Date(); from.setDate(from.getDate() - back);
      const to = new Date(); to.setDate(to.getDate() - until);
      document.getElementById("rec-from").value = isoDay(from);
      document.getElementById("rec-to").value = isoDay(to);
      filters = read();
      search();
    }

    function clear() {
      filters = { ...EMPTY_FILTERS };
      for (const [id, key] of [["rec-q", "q"], ["rec-client", "client_ref"], ["rec-status", "status"],
        ["rec-phase", "phase"], ["rec-reason", "reason"], ["rec-from", "from"], ["rec-to", "to"]]) {
        document.getElementById(id).value = filters[key];
      }
      search();
    }

    async function search() {
      storeFilters(filters);
      const params = new URLSearchParams();
      for (const key of ["q", "client_ref", "status", "phase", "reason", "from", "to"]) {
        if (filters[key]) params.set(key, filters[key]);
      }
      params.set("offset", String(filters.offset));
      params.set("limit", String(PAGE_SIZE));
      status.textContent = "Zoeken…";
      let rows;
      let total;
      try {
        const response = await fetch(`${API}/staff/sessions?${params}`, {
          headers: { Authorization: "Bearer " + C.token, Accept: "application/json" } });
        const data = await response.json().catch(() => null);
        if (!response.ok) throw new C.ApiError(response.status, (data && data.detail) || `HTTP ${response.status}`);
        rows = data;
        total = Number(response.headers.get("X-Total-Count") || rows.length);
      } catch (err) {
        if (err.status === 401) { C.logout(); return; }
        status.textContent = "";
        results.replaceChildren(notice(err.status === 422
          ? `Controleer de zoekvelden: ${err.message}` : `Zoeken lukte niet: ${err.message}`, "error"));
        pager.replaceChildren();
        return;
      }
      const first = total ? filters.offset + 1 : 0;
      const last = filters.offset + rows.length;
      status.textContent = total
        ? `${total} gesprek${total === 1 ? "" : "ken"} gevonden; u ziet ${first}–${last}.`
        : "Geen gesprekken gevonden met deze zoekvelden.";
      results.replaceChildren(rows.length ? table(rows) : el("p", { class: "empty", text: "Niets gevonden. Probeer minder zoekvelden." }));
      pager.replaceChildren(
        el("button", { class: "btn", type: "button", id: "rec-prev", disabled: filters.offset === 0,
          onclick: () => { filters.offset = Math.max(0, filters.offset - PAGE_SIZE); search(); } }, "← Vorige"),
        el("span", { class: "muted", text: total ? `pagina ${Math.floor(filters.offset / PAGE_SIZE) + 1} van ${Math.ceil(total / PAGE_SIZE)}` : "" }),
        el("button", { class: "btn", type: "button", id: "rec-next", disabled: last >= total,
          onclick: () => { filters.offset += PAGE_SIZE; search(); } }, "Volgende →"));
    }

    function table(rows) {
      const head = el("tr", {}, ["Gestart", "Cliënt", "Status", "Fase", "Open doorverwijzing", "Laatste bericht", ""].map(
        (title) => el("th", { scope: "col", text: title })));
      const body = rows.map((s) => el("tr", { class: "rec-row", dataset: { session: s.id } },
        el("td", { text: formatDateTime(s.started_at) }),
        el("td", {}, s.client_ref || el("span", { class: "muted", text: "geen nummer" }),
          s.is_training ? el("span", { class: "tag", text: "oefensessie" }) : null),
        el("td", {}, el("span", { class: `tag tag--${s.status}`, text: C.label("status", s.status) })),
        el("td", { text: C.label("phase", s.phase) }),
        el("td", {}, s.handoff ? el("span", { class: `tag tag--${s.handoff.reason}`, text: C.label("reason", s.handoff.reason) }) : "—"),
        el("td", { class: "rec-row__last", text: shorten(previewText(s.last_message), 90) }),
        el("td", { class: "rec-row__open" },
          el("a", { class: "btn btn--small btn--primary", href: `#/sessions/${s.id}` }, "Transcript"),
          el("a", { class: "btn btn--small", href: `#/plan/${s.id}` }, "Actieplan"))));
      return el("table", { class: "rec-table", id: "rec-table" }, el("thead", {}, head), el("tbody", {}, body));
    }

    form.addEventListener("submit", (event) => { event.preventDefault(); filters = read(); search(); });
    await search();
  }

  // --- the transcript (#/sessions/:id) ---------------------------------------------------

  function eventText(message) {
    const event = message.event || "";
    if (event.startsWith("handoff:")) return `Doorgegeven aan een begeleider: ${C.label("reason", event.slice(8))}`;
    return EVENT_TEXT[event] || message.text;
  }

  /** "familielid = moeder (getypt: moedr)": data the coach found, in Dutch names. */
  function foundText(item) {
    const value = item.value == null ? "" : ` = ${item.value}`;
    return `${item.label}${value}${item.typed ? ` (getypt: ${item.typed})` : ""}`;
  }

  /** What the coach understood, in the staff's words; the machine's names only behind a toggle for trainers. */
  function nluDetails(message) {
    const rows = [];
    const understood = message.understood || { summary: message.intent ? `Begrepen als: ${message.intent}` : "Niet door de coach gelezen", found: [] };
    const sure = understood.certainty
      ? el("span", { class: ["rec-nlu__certainty", understood.certainty === "onzeker" && "rec-nlu__certainty--unsure"],
        text: understood.certainty,
        title: typeof message.confidence === "number" ? `zekerheid van de coach: ${Math.round(message.confidence * 100)}%` : null })
      : null;
    rows.push(["De coach", [el("span", { class: "rec-nlu__summary", text: understood.summary }), sure ? " · " : null, sure]]);
    const found = (understood.found || []).map(foundText);
    rows.push(["Gevonden", found.length ? found.join(", ") : "niets"]);
    const safety = message.safety || {};
    let safetyText = "geen signaal";
    const raisedTo = safety.category && safety.category !== "none" ? `signaal ${C.label("reason", safety.category)}` : null;
    if (raisedTo || understood.signal) {
      safetyText = [raisedTo, understood.signal, understood.raised,
        safety.matched ? `woorden "${safety.matched}"` : null].filter(Boolean).join(" · ");
    }
    rows.push(["Veiligheid", safetyText]);
    if (message.forwarded_to_rasa === false) rows.push(["Let op", "niet naar de coach gestuurd (een begeleider had het gesprek)"]);
    const list = el("dl", { class: "rec-nlu" }, rows.map(([k, v]) => [el("dt", { text: k }),
      Array.isArray(v) ? el("dd", {}, v) : el("dd", { text: v })]));
    if (!["trainer", "admin"].includes((C.user || {}).role)) return list;
    const technical = [
      `intent: ${message.intent || "—"}` + (typeof message.confidence === "number" ? ` (${Math.round(message.confidence * 100)}%)` : ""),
      ...(message.entities || []).map((e) => `${e.entity} = ${e.value}`),
      (message.safety || {}).flag ? `vlag: ${message.safety.flag}` : null,
      message.payload ? `knop: ${message.payload}` : null,
    ].filter(Boolean).join(" · ");
    return [list, el("details", { class: "rec-nlu__technical" }, el("summary", { text: "Technisch (voor trainers)" }),
      el("p", { class: "muted", text: technical }))];
  }

  function transcriptRow(message, context) {
    if (message.sender === "system") {
      return el("div", { class: "rec-event", id: `msg-${message.id}`, dataset: { event: message.event || "" } },
        el("span", { text: eventText(message) }), el("time", { text: formatDateTime(message.at) }));
    }
    const safety = message.safety || {};
    const handoff = context.handoffByMessage[message.id];
    const who = message.sender === "counsellor" && message.author
      ? `Begeleider ${message.author}` : C.label("sender", message.sender);
    const fields = context.linksByMessage[message.id] || [];
    const classes = ["rec-msg", `rec-msg--${message.sender}`,
      message.sender === "client" && safety.category === "crisis" && "rec-msg--crisis",
      message.sender === "client" && safety.category && !["none", "crisis"].includes(safety.category) && "rec-msg--flagged"];
    return el("article", { class: classes, id: `msg-${message.id}`, dataset: { messageId: message.id, sender: message.sender } },
      el("header", { class: "rec-msg__head" },
        el("span", { class: "rec-msg__who", text: who }),
        el("time", { text: formatDateTime(message.at) }),
        handoff ? el("span", { class: `tag tag--${handoff.reason}`, text: `leidde tot doorverwijzing: ${C.label("reason", handoff.reason)}` }) : null),
      el("p", { class: "rec-msg__text", text: message.text }),
      message.sender === "bot" && (message.buttons || []).length
        ? el("p", { class: "rec-msg__buttons", text: "Knoppen: " + message.buttons.map((b) => b.title).join(" · ") }) : null,
      message.sender === "client" ? nluDetails(message) : null,
      (message.withheld_bot_replies || []).map((reply) =>
        el("p", { class: "rec-msg__withheld", text: `Niet aan de cliënt getoond (coach): ${reply.text}` })),
      fields.length ? el("div", { class: "rec-msg__fields" },
        el("span", { text: "Ingevuld in het actieplan: " }),
        fields.map((link, i) => [i ? ", " : "", el("a", { href: `#/plan/${context.sessionId}/${link.path}`,
          class: "rec-fieldlink", text: link.label })])) : null);
  }

  // A returning client continues their plan with a one-time code (never a file number at the kiosk).
  function resumeCodeCard(detail) {
    if (detail.is_training || !["counsellor", "admin"].includes((C.user || {}).role)) return null;
    const result = el("div", { id: "resume-code-result", "aria-live": "polite" });
    const refInput = detail.client_ref ? null
      : el("input", { id: "resume-ref", type: "text", maxlength: 128, autocomplete: "off", placeholder: "bijv. GN-2025-017" });
    const button = el("button", { class: "btn btn--primary", id: "resume-code-button", type: "button" }, "Code maken");
    button.addEventListener("click", async () => {
      const ref = detail.client_ref || (refInput.value || "").trim();
      if (!ref) { result.replaceChildren(el("p", { class: "error", text: "Vul eerst het cliëntnummer in." })); return; }
      button.disabled = true;
      try {
        const body = detail.client_ref ? undefined : { session_id: detail.id };
        const issued = await C.api(`/staff/clients/${encodeURIComponent(ref)}/resume-code`, { method: "POST", body });
        result.replaceChildren(
          el("p", {}, "Code voor de kiosk: ", el("strong", { id: "resume-code", class: "resume-code", text: issued.code })),
          el("p", { class: "muted", text: `Geldig tot ${formatDateTime(issued.expires_at)}, één keer te gebruiken. ` +
            `De cliënt tikt op de kiosk op "Ik heb een code".` }));
      } catch (err) {
        result.replaceChildren(el("p", { class: "error", text: `Geen code gemaakt: ${err.message}` }));
      } finally {
        button.disabled = false;
      }
    });
    return el("div", { class: "card", id: "resume-card" }, el("h2", { text: "Volgend gesprek" }),
      el("p", { class: "muted", text: "Komt de cliënt terug? Maak een code. Daarmee gaat de cliënt op de kiosk verder met dit plan." }),
      refInput ? el("label", { for: "resume-ref", text: "Cliëntnummer" }) : null, refInput,
      button, result);
  }

  async function renderTranscript(page, params) {
    const sessionId = params.id;
    const base = `/staff/sessions/${encodeURIComponent(sessionId)}`;
    const [detail, links] = await Promise.all([C.api(base), C.api(`${base}/plan/links`).catch(() => [])]);
    const linksByMessage = {};
    for (const link of links) (linksByMessage[link.message_id] = linksByMessage[link.message_id] || []).push(link);
    const handoffByMessage = {};
    for (const h of detail.handoffs || []) if (h.message_id) handoffByMessage[h.message_id] = h;
    const context = { sessionId, linksByMessage, handoffByMessage };

    const open = detail.status !== "closed";
    const facts = [
      ["Cliëntnummer", detail.client_ref || "—"], ["Gestart", formatDateTime(detail.started_at)],
      ["Laatste bericht", formatDateTime(detail.last_message_at)], ["Afgesloten", detail.closed_at ? formatDateTime(detail.closed_at) : "nog open"],
      ["Taal", detail.language], ["Berichten", String((detail.messages || []).length)],
    ];
    const handoffs = (detail.handoffs || []).map((h) => el("li", {},
      `${C.label("reason", h.reason)} om ${formatDateTime(h.at)}`,
      h.taken_by ? `, overgenomen door ${h.taken_by} om ${formatDateTime(h.taken_at)}` : ", niet overgenomen",
      h.handed_back_at ? `, teruggegeven om ${formatDateTime(h.handed_back_at)}` : "",
      h.message_id ? [" · ", el("a", { href: `#/sessions/${sessionId}/${h.message_id}`, text: "naar het bericht" })] : null));
    const messages = (detail.messages || []).map((m) => transcriptRow(m, context));
    page.append(el("div", { class: "rec-head" },
      el("a", { href: "#/sessions", class: "rec-back", text: "← Alle gesprekken" }),
      el("h1", { id: "rec-title", text: `Transcript · ${sessionName(detail)}` }),
      el("div", { class: "rec-head__tags" },
        el("span", { class: `tag tag--${detail.status}`, text: C.label("status", detail.status) }),
        el("span", { class: "tag", text: `fase ${C.label("phase", detail.phase)}` }),
        detail.is_training ? el("span", { class: "tag", text: "oefensessie" }) : null),
      el("div", { class: "rec-head__actions" },
        el("a", { class: "btn btn--primary", id: "rec-open-plan", href: `#/plan/${sessionId}` }, "Actieplan bekijken"),
        open && C.hasRoute("/live/:id") ? el("a", { class: "btn", href: `#/live/${sessionId}`,
          title: "U leest live mee; de cliënt merkt niets. Daar kunt u het gesprek ook overnemen." }, "Live meelezen") : null,
        // Issue 17.7: a (training) conversation becomes a regression test; trainer routes.
        detail.is_training && C.hasRoute("/trainer/from/:session") ? [
          el("a", { class: "btn", id: "rec-to-scenario", href: `#/trainer/from/${sessionId}`,
            title: "Maak een scenario van dit gesprek; u leest het na in de editor voordat het wordt bewaard." },
          "Als scenario bewaren…"),
          el("button", { class: "btn", type: "button", id: "rec-to-story",
            title: "Download dit gesprek als Rasa-teststory (YAML).", onclick: async () => {
              try {
                saveBlob(await request(`/trainer/sessions/${encodeURIComponent(sessionId)}/story`, { as: "blob" }),
                  `story-${sessionId.slice(0, 8)}.yml`);
              } catch (err) { C.toast(`Story maken lukte niet: ${err.message}`, "error"); }
            } }, "Als Rasa-story downloaden")] : null,
        // A client's conversation that went wrong: the counsellor drafts an anonymised scenario.
        !detail.is_training && C.hasRoute("/scenario-from/:session") ? el("a", { class: "btn", id: "rec-to-scenario",
          href: `#/scenario-from/${sessionId}`,
          title: "Maak van dit gesprek een oefenscenario voor trainers, zonder namen of nummers; u leest het na voordat het wordt bewaard." },
        "Als oefenscenario…") : null)),
    el("div", { class: "rec-layout" },
      el("section", { class: "rec-transcript", id: "rec-transcript", "aria-label": "Transcript" },
        messages.length ? messages : el("p", { class: "empty", text: "Dit gesprek heeft nog geen berichten." })),
      el("aside", { class: "rec-side" },
        el("div", { class: "card" }, el("h2", { text: "Gegevens" }),
          el("dl", { class: "facts" }, facts.map(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]))),
        el("div", { class: "card" }, el("h2", { text: "Doorverwijzingen" }),
          handoffs.length ? el("ul", {}, handoffs) : el("p", { class: "muted", text: "Geen." })),
        resumeCodeCard(detail),
        el("div", { class: "card rec-legend" }, el("h2", { text: "Zo leest u het transcript" }),
          el("p", { text: "Onder elk bericht van de cliënt staat wat de coach ervan begreep (bijvoorbeeld \"Koos: Ja\" of " +
            "\"Begrepen als: antwoord\"), zeker of onzeker, welke gegevens de coach vond en of de veiligheidscontrole iets zag. " +
            "Een link onder een bericht opent het antwoord in het actieplan." })))));
    focus(params.message ? `msg-${params.message}` : null);
  }

  C.register("/sessions", { title: "Gesprekken", roles: ROLES, nav: true, order: 10, render: renderList });
  C.register("/sessions/:id", { title: "Transcript", roles: ROLES, render: renderTranscript });
  C.register("/sessions/:id/:message", { title: "Transcript", roles: ROLES, render: renderTranscript });
})();
