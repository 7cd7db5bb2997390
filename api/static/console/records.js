// Records (#/sessions, #/sessions/:id, #/plan/:id): find a conversation, read its
// transcript with what the coach understood, and review the persoonlijk actieplan:
// correct answers, fill the counsellor's parts, keep the action list, approve, print.
// Every client word reaches the page through textContent (Console.el), never as HTML.
"use strict";

(function () {
  const C = window.Console;
  const API = "/api/v1";
  const ROLES = ["counsellor", "admin", "trainer"];
  const PAGE_SIZE = 20;
  const FILTER_STORE = "toekomstcoach.console.records.filters";
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
  const EVENT_TEXT = {
    takeover: "Begeleider neemt het gesprek over",
    handback: "Teruggegeven aan de coach",
    closed: "Gesprek afgesloten",
    client_left: "De cliënt is weggegaan bij de kiosk (de oproep blijft staan)",
  };

  // --- small helpers ------------------------------------------------------------------

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

  function focus(id) {
    if (!id) return;
    const target = document.getElementById(id);
    if (!target) { C.toast("Dat onderdeel staat niet (meer) op deze pagina.", "info"); return; }
    target.classList.add("rec-focus");
    target.scrollIntoView({ block: "center" });
    window.setTimeout(() => target.classList.remove("rec-focus"), 4000);
  }

  // --- the plan review (#/plan/:id) --------------------------------------------------------

  function answerText(field, wrapper) {
    if (!wrapper || typeof wrapper !== "object") return "";
    const value = wrapper.value;
    let text = "";
    if (field.kind === "yes_no") text = value === true ? "ja" : value === false ? "nee" : "";
    else if (field.kind === "choice") text = value == null ? "" : optionLabel(field.options, value);
    else if (field.kind === "multi_choice") text = (value || []).map((v) => optionLabel(field.options, v)).join(", ");
    else if (field.kind === "text_list") text = (value || []).join("\n");
    else if (field.kind === "ruler") text = value == null ? "" : `${value} van 10`;
    else if (field.kind === "date") text = formatDate(value);
    else text = value == null ? "" : String(value);
    return text;
  }

  function isEmpty(field, raw) {
    if (field.kind === "list") return !Array.isArray(raw) || raw.length === 0;
    if (field.kind === "plain_text" || field.kind === "plain_int") return raw === undefined || raw === null || raw === "";
    if (!raw || typeof raw !== "object") return true;
    if (raw.status && raw.status !== "answered" && raw.status !== "not_asked") return false;
    const v = raw.value;
    return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
  }

  function itemCell(itemField, value, goals) {
    if (itemField.kind === "yes_no_answer" || itemField.kind === "text_answer") {
      const inner = value && typeof value === "object" ? value.value : undefined;
      if (itemField.kind === "yes_no_answer") return inner === true ? "ja" : inner === false ? "nee" : "";
      return inner == null ? "" : String(inner);
    }
    if (value === undefined || value === null || value === "") return "";
    if (itemField.key === "goal_id" && goals[value]) return goals[value];
    if (itemField.kind === "choice") return optionLabel(itemField.options, value);
    if (itemField.kind === "multi_choice") return (value || []).map((v) => optionLabel(itemField.options, v)).join(", ");
    if (itemField.kind === "bool") return value ? "ja" : "nee";
    if (itemField.kind === "date") return formatDate(value);
    if (itemField.kind === "datetime") return formatDateTime(value);
    if (itemField.kind === "integer" && itemField.minimum === -3 && itemField.maximum === 3) {
      return value > 0 ? "+".repeat(value) : value < 0 ? "−".repeat(-value) : "0";
    }
    return String(value);
  }

  /** One input for a value of `kind`; read() gives the value (null for empty). */
  function inputFor(spec, current, id) {
    const kind = spec.kind;
    if (["yes_no", "bool", "yes_no_answer"].includes(kind)) {
      const name = `${id}-yn`;
      const radios = [[true, "ja"], [false, "nee"], [null, "leeg / onbekend"]].map(([value, label], i) => {
        const input = el("input", { type: "radio", name, id: `${name}-${i}`, value: String(value), checked: current === value });
        return { value, node: el("label", { class: "pf-radio", for: `${name}-${i}` }, input, " ", label), input };
      });
      if (current !== true && current !== false) radios[2].input.checked = true;
      return { node: el("div", { class: "pf-radios", role: "radiogroup" }, radios.map((r) => r.node)),
        read: () => (radios.find((r) => r.input.checked) || radios[2]).value,
        focus: () => radios[0].input.focus() };
    }
    if (kind === "choice") {
      const select = el("select", { id },
        el("option", { value: "", text: "— kies —" }),
        (spec.options || []).map(([value, label]) => el("option", { value, selected: value === current, text: label })));
      return { node: select, read: () => select.value || null, focus: () => select.focus() };
    }
    if (kind === "multi_choice") {
      const boxes = (spec.options || []).map(([value, label], i) => {
        const input = el("input", { type: "checkbox", id: `${id}-${i}`, value, checked: (current || []).includes(value) });
        return { value, input, node: el("label", { class: "pf-radio", for: `${id}-${i}` }, input, " ", label) };
      });
      return { node: el("div", { class: "pf-radios" }, boxes.map((b) => b.node)),
        read: () => boxes.filter((b) => b.input.checked).map((b) => b.value), focus: () => boxes[0] && boxes[0].input.focus() };
    }
    if (kind === "date") {
      const input = el("input", { type: "date", id, value: current ? String(current).slice(0, 10) : "" });
      return { node: input, read: () => input.value || null, focus: () => input.focus() };
    }
    if (kind === "datetime") {
      const local = current ? new Date(current) : null;
      const value = local && !Number.isNaN(local.getTime())
        ? `${isoDay(local)}T${pad(local.getHours())}:${pad(local.getMinutes())}` : "";
      const input = el("input", { type: "datetime-local", id, value });
      return { node: input, read: () => (input.value ? new Date(input.value).toISOString() : null), focus: () => input.focus() };
    }
    if (["ruler", "integer", "plain_int"].includes(kind)) {
      const min = kind === "ruler" ? 0 : spec.minimum;
      const max = kind === "ruler" ? 10 : spec.maximum;
      const input = el("input", { type: "number", id, step: 1, min: min ?? undefined, max: max ?? undefined,
        value: current === null || current === undefined ? "" : String(current) });
      return { node: input, read: () => (input.value === "" ? null : Number(input.value)), focus: () => input.focus() };
    }
    if (kind === "text_list") {
      const area = el("textarea", { id, rows: 4, placeholder: "Eén per regel" });
      area.value = (current || []).join("\n");
      return { node: area, read: () => area.value.split("\n").map((s) => s.trim()).filter(Boolean), focus: () => area.focus() };
    }
    if (kind === "plain_text" || (kind === "text" && spec.key !== undefined && !spec.long)) {
      const input = el("input", { type: "text", id, value: current == null ? "" : String(current), maxlength: 4000 });
      return { node: input, read: () => (input.value.trim() === "" ? null : input.value), focus: () => input.focus() };
    }
    const area = el("textarea", { id, rows: 3, maxlength: 4000 });
    area.value = current == null ? "" : String(current);
    return { node: area, read: () => (area.value.trim() === "" ? null : area.value), focus: () => area.focus() };
  }

  const LONG_ITEM_KEYS = new Set(["description", "why", "explanation", "how_it_could_change", "why_and_how", "own_role",
    "needs", "obstacles", "fallback", "coping", "text"]);

  function newItemId(field) {
    const prefix = field.path === "actions" ? "a-" : field.path === "sections.goals.items" ? "g-" : "i-";
    const random = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID().replace(/-/g, "") : String(Date.now());
    return prefix + random.slice(0, 12);
  }

  async function renderPlan(page, params) {
    const sessionId = params.id;
    const base = `/staff/sessions/${encodeURIComponent(sessionId)}`;
    let state = null;      // {plan, layout, messages, links, review_options}
    let history = [];
    let editing = null;    // the open editor's close function

    const head = el("div", { class: "rec-head" });
    const toolbar = el("div", { class: "card plan-toolbar", id: "plan-toolbar" });
    const toc = el("nav", { class: "plan-toc", "aria-label": "Onderdelen van het plan" });
    const body = el("div", { class: "plan-body", id: "plan-body" });
    const historyCard = el("section", { class: "card plan-history", id: "plan-history", "aria-label": "Wijzigingen" });
    page.append(head, toolbar, el("div", { class: "plan-layout" }, toc, el("div", { class: "plan-main" }, body, historyCard)));

    async function load() {
      const [review, changes] = await Promise.all([C.api(`${base}/plan/review`), C.api(`${base}/plan/history`)]);
      state = review;
      history = changes;
      editing = null;
      render();
    }

    async function reloadKeepingPlace(message, kind = "success") {
      const y = window.scrollY;
      await load();
      window.scrollTo(0, y);
      if (message) C.toast(message, kind);
    }

    /** PUT the plan changed by `change`; If-Match stops overwriting what the coach wrote meanwhile. */
    async function save(change, done) {
      const next = copy(state.plan);
      change(next);
      try {
        await request(`${base}/plan`, { method: "PUT", body: next, headers: { "If-Match": state.plan.updated_at } });
      } catch (err) {
        if (err.status === 409) {
          await reloadKeepingPlace("Het plan is intussen gewijzigd. De nieuwe versie staat nu op het scherm; doe uw wijziging opnieuw.", "error");
          return false;
        }
        C.toast(err.status === 422 ? `Niet opgeslagen, controleer de invoer: ${err.message}` : `Opslaan lukte niet: ${err.message}`, "error");
        return false;
      }
      await reloadKeepingPlace(done);
      return true;
    }

    // --- provenance -----------------------------------------------------------------

    // Issue 17.1: the question the coach asked before the client's words, a mark on an answer the
    // coach placed with doubt, and "Verplaatsen…" to move it to another question in one step.
    function placementNode(key) {
      const placed = key && state.placements ? state.placements[key] : null;
      if (!placed) return null;
      const mover = el("span", { class: "pf-move" });
      mover.append(el("button", { class: "btn btn--small btn--quiet pf-move-open", type: "button",
        "aria-label": "Verplaatsen naar een andere vraag", onclick: () => openMove(mover, key) }, "Verplaatsen…"));
      return [
        el("div", { class: "pf-asked", text: placed.question ? `Vraag van de coach: ${placed.question}`
          : "De coach stelde hier geen vraag over." }),
        placed.doubt ? el("div", { class: "pf-doubt", text: `Door de coach ingedeeld, controleer: ${placed.why}.` }) : null,
        mover];
    }

    function openMove(holder, key) {
      if (holder.querySelector("form")) return;
      const id = `move-${key.replace(/[^a-z0-9]+/gi, "-")}`;
      const select = el("select", { id, class: "pf-move-target" },
        state.layout.map((block) => {
          const fields = block.fields.filter((f) => ["text", "text_list", "plain_text"].includes(f.kind) && f.path !== key);
          return fields.length ? el("optgroup", { label: block.label },
            fields.map((f) => el("option", { value: f.path, text: f.label }))) : null;
        }));
      const form = el("form", { class: "pf-move-form" },
        el("label", { for: id, text: "Naar welke vraag? " }), select, " ",
        el("button", { class: "btn btn--small btn--primary pf-move-save", type: "submit" }, "Verplaatsen"), " ",
        el("button", { class: "btn btn--small btn--quiet", type: "button", onclick: () => form.remove() }, "Annuleren"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          await request(`${base}/plan/move`, { method: "POST",
            body: { from: key, to: select.value, expected_updated_at: state.plan.updated_at } });
        } catch (err) {
          if (err.status === 409 && err.reason === "stale") {
            await reloadKeepingPlace("Het plan is intussen gewijzigd. De nieuwe versie staat nu op het scherm.", "error");
          } else C.toast(`Verplaatsen lukte niet: ${err.message}`, "error");
          return;
        }
        await reloadKeepingPlace("Antwoord verplaatst.");
      });
      holder.append(form);
      select.focus();
    }

    function provenanceNode(prov, key) {
      if (!prov || typeof prov !== "object") return null;
      if (prov.source !== "client_message" && (prov.message_ids || []).length) {
        // moved or corrected by a counsellor: still the client's words it came from
        return el("div", { class: "pf-source" },
          el("span", { text: `${SOURCE_LABEL[prov.source] || prov.source} · ${formatDateTime(prov.recorded_at)}; uit: ` }),
          prov.message_ids.map((id) => {
            const m = state.messages[id];
            return m ? el("a", { class: "pf-source__quote", href: `#/sessions/${m.session_id}/${id}`,
              title: "Open dit bericht in het transcript", text: `“${shorten(m.text, 90)}”` }) : null;
          }), placementNode(key));
      }
      if (prov.source === "client_message") {
        const quotes = (prov.message_ids || []).map((id) => {
          const m = state.messages[id];
          if (!m) return el("span", { class: "muted", text: "bericht niet meer beschikbaar" });
          return el("a", { class: "pf-source__quote", href: `#/sessions/${m.session_id}/${id}`,
            title: "Open dit bericht in het transcript", text: `“${shorten(m.text, 90)}”` });
        });
        // In words (zeker / onzeker, as in the transcript); the number only on hover.
        const known = typeof prov.nlu_confidence === "number";
        const unsure = known && prov.nlu_confidence < UNSURE_BELOW;
        return el("div", { class: "pf-source pf-source--client" },
          el("span", { text: `${SOURCE_LABEL.client_message}` }),
          known ? [" · ", el("span", { class: ["rec-nlu__certainty", unsure && "rec-nlu__certainty--unsure"],
            title: `zekerheid van de coach: ${Math.round(prov.nlu_confidence * 100)}%`, text: unsure ? "onzeker" : "zeker" })] : null,
          ": ", quotes, placementNode(key));
      }
      return el("div", { class: "pf-source" },
        el("span", { text: `${SOURCE_LABEL[prov.source] || prov.source} · ${formatDateTime(prov.recorded_at)}` }));
    }

    function whoBadge(who) {
      return who === "counsellor"
        ? el("span", { class: "pf-who pf-who--counsellor", text: "begeleider vult in" })
        : el("span", { class: "pf-who", text: "vraag aan cliënt" });
    }

    // --- one field --------------------------------------------------------------------

    function openEditor(row, build) {
      if (editing) editing();
      const holder = el("div", { class: "pf-editor" });
      row.appendChild(holder);
      row.classList.add("pf--editing");
      editing = () => { holder.remove(); row.classList.remove("pf--editing"); editing = null; };
      build(holder, editing);
    }

    function answerEditor(field, holder, close) {
      const raw = getAt(state.plan, field.path);
      const current = raw && typeof raw === "object" ? raw : {};
      const id = `edit-${field.path.replace(/\./g, "-")}`;
      const value = inputFor(field, current.value, id);
      const status = el("select", { id: `${id}-status` },
        ANSWER_STATUS.map(([key, label]) => el("option", { value: key, selected: key === (current.status || "answered"), text: label })));
      const note = el("textarea", { id: `${id}-note`, rows: 2, maxlength: 4000, placeholder: "Toelichting (mag leeg)" });
      note.value = current.note || "";
      const error = el("p", { class: "error", role: "alert", hidden: true });
      const saveButton = el("button", { class: "btn btn--primary pf-editor__save", type: "submit" }, "Opslaan");
      const form = el("form", { class: "pf-editor__form" },
        el("label", { for: id, text: "Antwoord" }), value.node,
        el("div", { class: "pf-editor__row" },
          el("div", {}, el("label", { for: `${id}-status`, text: "Status" }), status),
          el("div", { class: "pf-editor__note" }, el("label", { for: `${id}-note`, text: "Toelichting" }), note)),
        error,
        el("div", { class: "pf-editor__buttons" }, saveButton,
          el("button", { class: "btn btn--quiet", type: "button", onclick: close }, "Annuleren"),
          raw !== undefined ? el("button", { class: "btn btn--danger pf-editor__clear", type: "button", onclick: clearAnswer }, "Leegmaken") : null));
      holder.appendChild(form);
      value.focus();

      async function clearAnswer() {
        saveButton.disabled = true;
        await save((plan) => setAt(plan, field.path, undefined), `“${field.label}” is leeggemaakt.`);
        saveButton.disabled = false;
      }

      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const newValue = value.read();
        const chosen = status.value;
        const emptyValue = newValue === null || (Array.isArray(newValue) && newValue.length === 0);
        if (chosen === "answered" && emptyValue) {
          error.textContent = "Vul een antwoord in, of kies een andere status (bijvoorbeeld 'weet ik niet').";
          error.hidden = false;
          return;
        }
        const wrapper = { status: chosen };
        if (!emptyValue) wrapper.value = newValue;
        if (note.value.trim()) wrapper.note = note.value;
        saveButton.disabled = true;
        await save((plan) => setAt(plan, field.path, wrapper), `“${field.label}” is opgeslagen.`);
        saveButton.disabled = false;
      });
    }

    function plainEditor(field, holder, close) {
      const id = `edit-${field.path.replace(/\./g, "-")}`;
      const value = inputFor(field, getAt(state.plan, field.path), id);
      const form = el("form", { class: "pf-editor__form" }, value.node,
        el("div", { class: "pf-editor__buttons" },
          el("button", { class: "btn btn--primary pf-editor__save", type: "submit" }, "Opslaan"),
          el("button", { class: "btn btn--quiet", type: "button", onclick: close }, "Annuleren")));
      holder.appendChild(form);
      value.focus();
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const newValue = value.read();
        await save((plan) => setAt(plan, field.path, newValue === null ? undefined : newValue), `“${field.label}” is opgeslagen.`);
      });
    }

    function itemEditor(field, index, holder, close) {
      const list = getAt(state.plan, field.path) || [];
      const current = index === null ? {} : list[index];
      const inputs = [];
      const id = `item-${field.path.replace(/\./g, "-")}`;
      const form = el("form", { class: "pf-editor__form pf-item-form" });
      for (const itemField of field.item_fields) {
        if (itemField.kind === "id") continue;
        const inputId = `${id}-${itemField.key}`;
        const spec = { ...itemField, long: LONG_ITEM_KEYS.has(itemField.key) };
        let initial = current[itemField.key];
        if (itemField.kind === "yes_no_answer" || itemField.kind === "text_answer") {
          initial = initial && typeof initial === "object" ? initial.value : undefined;
        }
        if (index === null && field.path === "actions" && itemField.key === "status") initial = "open";
        const input = inputFor(spec, initial, inputId);
        inputs.push({ itemField, input });
        form.appendChild(el("div", { class: ["pf-item-form__field", spec.long && "pf-item-form__field--wide"] },
          el("label", { for: inputId }, itemField.label, itemField.required ? el("span", { class: "pf-required", text: " *" }) : null),
          input.node));
      }
      const error = el("p", { class: "error", role: "alert", hidden: true });
      const saveButton = el("button", { class: "btn btn--primary pf-editor__save", type: "submit" },
        index === null ? "Toevoegen" : "Opslaan");
      form.append(error, el("div", { class: "pf-editor__buttons" }, saveButton,
        el("button", { class: "btn btn--quiet", type: "button", onclick: close }, "Annuleren"),
        el("span", { class: "muted", text: "* verplicht" })));
      holder.appendChild(form);
      if (inputs[0]) inputs[0].input.focus();

      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const item = copy(current) || {};
        const missing = [];
        for (const { itemField, input } of inputs) {
          const value = input.read();
          const empty = value === null || (Array.isArray(value) && value.length === 0);
          if (itemField.kind === "yes_no_answer" || itemField.kind === "text_answer") {
            if (empty) delete item[itemField.key]; else item[itemField.key] = { value, status: "answered" };
          } else if (empty) {
            if (itemField.kind === "bool" && itemField.required) item[itemField.key] = false;
            else delete item[itemField.key];
          } else {
            item[itemField.key] = value;
          }
          if (itemField.required && item[itemField.key] === undefined) missing.push(itemField.label);
        }
        for (const idField of field.item_fields.filter((f) => f.kind === "id")) {
          if (!item[idField.key]) item[idField.key] = newItemId(field);
        }
        if (missing.length) {
          error.textContent = `Vul nog in: ${missing.join(", ")}.`;
          error.hidden = false;
          return;
        }
        delete item.provenance;  // the server stamps who changed it
        saveButton.disabled = true;
        await save((plan) => {
          const items = getAt(plan, field.path) || [];
          if (index === null) items.push(item); else items[index] = item;
          setAt(plan, field.path, items);
        }, index === null ? `${field.item_label} toegevoegd.` : `${field.item_label} opgeslagen.`);
        saveButton.disabled = false;
      });
    }

    function listNode(field, raw, row) {
      const items = Array.isArray(raw) ? raw : [];
      const columns = field.item_fields.filter((f) => f.kind !== "id" && f.key !== "action_id");
      const goals = {};
      for (const goal of getAt(state.plan, "sections.goals.items") || []) if (goal && goal.id) goals[goal.id] = goal.description || goal.id;
      const rows = items.map((item, index) => {
        const prov = item && item.provenance;
        const removeConfirm = el("span", { class: "pf-confirm", hidden: true },
          "Verwijderen? ",
          el("button", { class: "btn btn--danger btn--small pf-remove-yes", type: "button", onclick: () =>
            save((plan) => { const list = getAt(plan, field.path); list.splice(index, 1); }, `${field.item_label} verwijderd.`) }, "Ja, verwijderen"),
          el("button", { class: "btn btn--quiet btn--small", type: "button", onclick: () => { removeConfirm.hidden = true; } }, "Nee"));
        const placed = state.placements && state.placements[`${field.path}[${index}]`];
        return el("tr", { class: ["pf-item", placed && placed.doubt && "pf-item--doubt"], dataset: { index: String(index) } },
          columns.map((c) => el("td", { class: "pf-item__cell", text: itemCell(c, item[c.key], goals) })),
          el("td", { class: "pf-item__meta" }, provenanceNode(prov, `${field.path}[${index}]`),
            el("div", { class: "pf-item__buttons" },
              el("button", { class: "btn btn--small pf-item-edit", type: "button",
                onclick: () => openEditor(row, (holder, close) => itemEditor(field, index, holder, close)) }, "Wijzigen"),
              el("button", { class: "btn btn--small btn--quiet pf-item-remove", type: "button",
                onclick: () => { removeConfirm.hidden = false; } }, "Verwijderen"),
              removeConfirm)));
      });
      const full = field.max_items && items.length >= field.max_items;
      return el("div", { class: "pf-list" },
        items.length
          ? el("div", { class: "pf-table-wrap" }, el("table", { class: "pf-table" },
            el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col", text: c.label })), el("th", { text: "Herkomst" }))),
            el("tbody", {}, rows)))
          : el("p", { class: "pf-empty", text: "Nog leeg." }),
        el("button", { class: "btn btn--small pf-add", type: "button", disabled: Boolean(full),
          onclick: () => openEditor(row, (holder, close) => itemEditor(field, null, holder, close)) },
        full ? `Maximaal ${field.max_items}` : `+ ${field.item_label} toevoegen`));
    }

    function fieldRow(field) {
      const raw = getAt(state.plan, field.path);
      const empty = isEmpty(field, raw);
      const fromClient = !empty && raw && raw.provenance && raw.provenance.source === "client_message";
      const doubtful = !empty && state.placements && state.placements[field.path] && state.placements[field.path].doubt;
      const row = el("div", { class: ["pf", empty && "pf--empty", fromClient && "pf--client", field.kind === "list" && "pf--list",
        doubtful && "pf--doubt"],
        id: `field-${field.path}`, dataset: { path: field.path } });
      const label = el("div", { class: "pf__label" }, el("span", { class: "pf__question", text: field.label }), " ", whoBadge(field.who));
      if (field.kind === "list") {
        row.append(label, listNode(field, raw, row));
        return row;
      }
      let shown;
      if (field.kind === "plain_text" || field.kind === "plain_int") {
        shown = empty ? el("span", { class: "pf-empty", text: "Nog leeg." }) : el("span", { class: "pf-value", text: String(raw) });
      } else if (empty) {
        shown = el("div", {},
          el("span", { class: "pf-empty", text: raw && raw.status === "not_asked" ? "Nog niet gevraagd." : "Nog leeg." }),
          raw && raw.note ? el("div", { class: "pf-note", text: `Toelichting: ${raw.note}` }) : null);
      } else {
        const text = answerText(field, raw);
        const statusLabel = raw.status && raw.status !== "answered" ? optionLabel(ANSWER_STATUS, raw.status) : "";
        shown = el("div", {},
          text ? el("span", { class: "pf-value", text }) : null,
          statusLabel ? el("span", { class: "pf-status", text: text ? ` (${statusLabel})` : statusLabel }) : null,
          raw.note ? el("div", { class: "pf-note", text: `Toelichting: ${raw.note}` }) : null);
      }
      const edit = el("button", { class: "btn btn--small pf__edit", type: "button",
        "aria-label": `${empty ? "Invullen" : "Wijzigen"}: ${field.label}`,
        onclick: () => openEditor(row, (holder, close) =>
          (field.kind === "plain_text" || field.kind === "plain_int" ? plainEditor : answerEditor)(field, holder, close)) },
      empty ? "Invullen" : "Wijzigen");
      row.append(label, el("div", { class: "pf__answer" }, shown, empty ? null : provenanceNode(raw && raw.provenance, field.path)), edit);
      return row;
    }

    // --- blocks, toolbar, history ----------------------------------------------------------

    function blockCounts(block) {
      let filled = 0;
      let fromClient = 0;
      for (const field of block.fields) {
        const raw = getAt(state.plan, field.path);
        if (!isEmpty(field, raw)) {
          filled += 1;
          const prov = field.kind === "list" ? null : raw && raw.provenance;
          const items = field.kind === "list" ? raw : [];
          if ((prov && prov.source === "client_message") ||
              items.some((i) => i && i.provenance && i.provenance.source === "client_message")) fromClient += 1;
        }
      }
      return { filled, fromClient, total: block.fields.length };
    }

    function blockNode(block) {
      const counts = blockCounts(block);
      const heading = el("h2", { class: "plan-block__title", text: block.label });
      const meta = el("div", { class: "plan-block__meta" },
        el("span", { class: "muted", text: `${counts.filled} van ${counts.total} ingevuld` +
          (counts.fromClient ? `, ${counts.fromClient} uit het gesprek` : "") }),
        block.sensitivity ? el("span", { class: "tag plan-sensitive", text: "gevoelig" }) : null);
      if (block.section) {
        const current = getAt(state.plan, block.status_path) || "not_started";
        const select = el("select", { id: `status-${block.key}`, "aria-label": `Status van ${block.label}` },
          block.status_options.map(([value, label]) => el("option", { value, selected: value === current, text: label })));
        select.addEventListener("change", () => save((plan) => setAt(plan, block.status_path, select.value),
          `Status van “${block.label}” opgeslagen.`));
        meta.append(el("label", { class: "plan-block__status", for: `status-${block.key}` }, "Stand: "), select);
      }
      const children = [];
      let group = null;
      for (const field of block.fields) {
        if ((field.group || null) !== group) {
          group = field.group || null;
          if (group) children.push(el("h3", { class: "plan-group", text: group }));
        }
        children.push(fieldRow(field));
      }
      return el("section", { class: ["card", "plan-block", counts.filled === 0 && "plan-block--empty"], id: `block-${block.key}`,
        dataset: { block: block.key } }, heading, meta, children);
    }

    function renderToc() {
      toc.replaceChildren(el("h2", { text: "Onderdelen" }), el("ol", {}, state.layout.map((block) => {
        const counts = blockCounts(block);
        return el("li", {}, el("button", { type: "button", class: "plan-toc__link",
          onclick: () => document.getElementById(`block-${block.key}`).scrollIntoView({ block: "start" }) },
        el("span", { text: block.label.split(":")[0] }),
        el("span", { class: ["plan-toc__count", counts.filled === 0 && "plan-toc__count--empty"], text: `${counts.filled}/${counts.total}` })));
      })));
    }

    function renderToolbar() {
      const plan = state.plan;
      const review = plan.review || { status: "draft" };
      const approved = review.status === "counsellor_approved";
      let filled = 0;
      let total = 0;
      for (const block of state.layout) { const c = blockCounts(block); filled += c.filled; total += c.total; }
      const stateText = approved
        ? `Goedgekeurd door ${review.approved_by || "?"} op ${formatDateTime(review.approved_at)}`
        : optionLabel(state.review_options, review.status);
      toolbar.replaceChildren(...[
        el("div", { class: "plan-toolbar__state" },
          el("span", { class: ["tag", approved ? "tag--approved" : "tag--draft"], id: "plan-review-state", text: stateText }),
          el("span", { class: "muted", text: `${filled} van ${total} vragen en lijsten ingevuld · laatst gewijzigd ${formatDateTime(plan.updated_at)}` })),
        el("div", { class: "plan-toolbar__buttons" },
          approved
            ? el("button", { class: "btn", type: "button", id: "plan-reopen", onclick: reopen }, "Goedkeuring intrekken")
            : el("button", { class: "btn btn--primary", type: "button", id: "plan-approve", "aria-expanded": "false",
              "aria-controls": "plan-approve-box", onclick: openApproval }, "Plan goedkeuren…"),
          el("button", { class: "btn", type: "button", id: "plan-print", onclick: printHtml }, "Afdrukken"),
          el("button", { class: "btn", type: "button", id: "plan-pdf", onclick: downloadPdf }, "PDF downloaden"),
          el("button", { class: "btn", type: "button", id: "plan-json", onclick: downloadJson }, "JSON downloaden")),
      ]);
    }

    /** The toolbar sticks under the shell bar (one or two rows high), the contents list under both. */
    function stick() {
      const bar = document.getElementById("shell-bar");
      const top = bar ? bar.offsetHeight : 0;
      const below = top + toolbar.offsetHeight + 12;
      toolbar.style.top = `${top}px`;
      toc.style.top = `${below}px`;
      toc.style.maxHeight = `calc(100vh - ${below + 12}px)`;
      page.style.setProperty("--plan-sticky", `${below}px`);
    }

    function briefValue(value) {
      if (value === null || value === undefined) return "—";
      if (typeof value === "boolean") return value ? "ja" : "nee";
      if (Array.isArray(value)) return value.length ? value.map(briefValue).join("; ") : "(leeg)";
      if (typeof value === "object") {
        if ("value" in value || "status" in value) {
          const status = value.status && value.status !== "answered" ? ` (${optionLabel(ANSWER_STATUS, value.status)})` : "";
          return ("value" in value ? briefValue(value.value) : "") + status;
        }
        const main = value.description || value.text || value.who || value.name || value.worry || value.substance ||
          value.with_whom || value.source;
        if (main) return String(main) + (value.status && value.kind ? ` [${value.status}]` : "");
        return Object.entries(value).filter(([k]) => !["provenance", "created_at", "updated_at", "id"].includes(k))
          .map(([k, v]) => `${k}: ${briefValue(v)}`).join(", ");
      }
      return String(value);
    }

    function whoChanged(change) {
      if (change.user) return change.user;
      if (change.source === "client_message") return "coach (uit het gesprek)";
      return "systeem";
    }

    function renderHistory(showAll) {
      const rows = showAll ? history : history.slice(0, HISTORY_SHOWN);
      historyCard.replaceChildren(
        el("h2", { text: "Wijzigingen (audit trail)" }),
        el("p", { class: "muted", text: "Elke wijziging van het plan: wie, wanneer, het oude en het nieuwe antwoord. Nieuwste bovenaan." }),
        history.length ? el("div", { class: "pf-table-wrap" }, el("table", { class: "rec-table plan-history__table" },
          el("thead", {}, el("tr", {}, ["Wanneer", "Wie", "Onderdeel", "Was", "Wordt"].map((t) => el("th", { scope: "col", text: t })))),
          el("tbody", {}, rows.map((change) => el("tr", { class: "plan-change", dataset: { path: change.path } },
            el("td", { text: formatDateTime(change.at) }),
            el("td", { text: whoChanged(change) }),
            el("td", {}, el("span", { text: change.label }),
              change.message_id ? el("a", { class: "plan-change__msg", href: `#/sessions/${change.session_id || sessionId}/${change.message_id}`,
                text: " (bericht)" }) : null),
            el("td", { class: "plan-change__old", text: shorten(briefValue(change.old), 160) }),
            el("td", { class: "plan-change__new", text: shorten(briefValue(change.new), 160) }))))))
          : el("p", { class: "empty", text: "Nog geen wijzigingen." }),
        !showAll && history.length > HISTORY_SHOWN
          ? el("button", { class: "btn btn--small", type: "button", onclick: () => renderHistory(true) }, `Toon alle ${history.length} wijzigingen`) : null);
    }

    function render() {
      const plan = state.plan;
      head.replaceChildren(
        el("a", { href: `#/sessions/${sessionId}`, class: "rec-back", text: "← Naar het transcript" }),
        el("h1", { id: "plan-title", text: `Persoonlijk actieplan · ${plan.client_ref ? "cliënt " + plan.client_ref : "gesprek " + sessionId.slice(0, 8)}` }),
        el("p", { class: "muted", text: `Bereikte fase: ${C.label("phase", plan.phase_reached)} · ${(plan.session_ids || []).length || 1} gesprek(ken). ` +
          "Antwoorden met een citaat komen uit het gesprek; klik op het citaat om het bericht te zien. " +
          "Lees het plan na met de cliënt en keur het goed als het klopt; een latere wijziging zet het weer op concept." }));
      renderToolbar();
      renderToc();
      body.replaceChildren(...state.layout.map(blockNode));
      renderHistory(false);
      stick();
    }

    // --- approve, print, download ---------------------------------------------------------------

    /** Approval asks first: it names what is still empty, warns about a nearly empty plan (a tick
     *  is needed) and, while the conversation is open, offers to close it first (the server refuses otherwise). */
    function openApproval() {
      let filled = 0;
      let total = 0;
      const empty = [];
      for (const block of state.layout) {
        const c = blockCounts(block);
        filled += c.filled; total += c.total;
        if (c.filled === 0) empty.push(block.label);
      }
      const sparse = total > 0 && filled < SPARSE_SHARE * total;
      const message = el("div", { id: "plan-approve-message", "aria-live": "polite" });
      const tick = sparse ? el("input", { type: "checkbox", id: "plan-approve-sparse" }) : null;
      const confirm = el("button", { class: "btn btn--primary", type: "button", id: "plan-approve-confirm", disabled: sparse,
        onclick: () => approve({ confirmIncomplete: sparse }) }, "Ja, plan goedkeuren");
      if (tick) tick.addEventListener("change", () => { confirm.disabled = !tick.checked; });
      const box = el("div", { class: "plan-approve", id: "plan-approve-box", role: "group", "aria-labelledby": "plan-approve-title" },
        el("h2", { id: "plan-approve-title", text: "Plan goedkeuren?" }),
        el("p", { text: `U keurt dit plan goed als ${(C.user || {}).username || "begeleider"}. Uw naam komt bij "Naam begeleider" ` +
          "als daar nog niets staat. Een latere wijziging zet het plan weer op concept." }),
        el("p", { text: `${filled} van ${total} vragen en lijsten zijn ingevuld.` }),
        empty.length ? el("p", { id: "plan-approve-empty" }, el("strong", { text: "Nog helemaal leeg: " }), empty.join(", ")) : null,
        sparse ? el("div", { class: "notice notice--error plan-approve__warning", id: "plan-approve-warning" },
          el("p", { text: `Let op: maar ${filled} van de ${total} vragen zijn ingevuld. Lees het plan met de cliënt na voordat u het goedkeurt.` }),
          el("label", { for: "plan-approve-sparse" }, tick, " Ik heb dit gezien en keur het plan toch goed.")) : null,
        message,
        el("div", { class: "plan-approve__buttons" }, confirm,
          el("button", { class: "btn btn--quiet", type: "button", id: "plan-approve-cancel", onclick: closeApproval }, "Annuleren")));
      closeApproval();
      toolbar.appendChild(box);
      const opener = document.getElementById("plan-approve");
      if (opener) opener.setAttribute("aria-expanded", "true");
      (tick || confirm).focus();
      stick();

      async function approve({ confirmIncomplete }) {
        confirm.disabled = true;
        try {
          await request(`${base}/plan/approve`, { method: "POST",
            body: { expected_updated_at: state.plan.updated_at, confirm_incomplete: Boolean(confirmIncomplete) } });
        } catch (err) {
          confirm.disabled = Boolean(tick && !tick.checked);
          if (err.status === 409 && err.reason === "conversation_open") {
            message.replaceChildren(el("div", { class: "notice notice--error" },
              el("p", { text: err.message }),
              el("button", { class: "btn btn--danger", type: "button", id: "plan-close-and-approve",
                onclick: () => closeThenApprove(err.openSessions || [sessionId], confirmIncomplete) },
              "Gesprek afsluiten en plan goedkeuren")));
            return;
          }
          if (err.status === 409 && err.reason === "incomplete") {
            message.replaceChildren(notice(err.message, "error"));
            return;
          }
          if (err.status === 409) { await reloadKeepingPlace("Het plan is intussen gewijzigd. Lees het opnieuw na en keur dan goed.", "error"); return; }
          message.replaceChildren(notice(`Goedkeuren lukte niet: ${err.message}`, "error"));
          return;
        }
        await reloadKeepingPlace("Het plan is goedgekeurd.");
      }

      async function closeThenApprove(ids, confirmIncomplete) {
        try {
          for (const id of ids) await C.api(`/staff/sessions/${encodeURIComponent(id)}/close`, { method: "POST" });
        } catch (err) {
          message.replaceChildren(notice(`Afsluiten lukte niet: ${err.message}`, "error"));
          return;
        }
        await approve({ confirmIncomplete });
      }
    }

    function closeApproval() {
      const box = document.getElementById("plan-approve-box");
      if (box) box.remove();
      const opener = document.getElementById("plan-approve");
      if (opener) { opener.setAttribute("aria-expanded", "false"); }
    }

    async function reopen() {
      try {
        await C.api(`${base}/plan/reopen`, { method: "POST" });
      } catch (err) {
        C.toast(`Intrekken lukte niet: ${err.message}`, "error");
        return;
      }
      await reloadKeepingPlace("De goedkeuring is ingetrokken; het plan is weer een concept.");
    }

    function fileName(extension) {
      const who = state.plan.client_ref ? state.plan.client_ref.replace(/[^A-Za-z0-9_-]/g, "_") : sessionId.slice(0, 8);
      return `actieplan-${who}.${extension}`;
    }

    async function printHtml() {
      const tab = window.open("", "_blank");  // opened now: a window opened after a wait is blocked as a pop-up
      try {
        const html = await request(`${base}/plan.html`, { as: "text" });
        const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
        if (tab) tab.location = url; else saveBlob(new Blob([html], { type: "text/html" }), fileName("html"));
      } catch (err) {
        if (tab) tab.close();
        C.toast(`Afdrukversie maken lukte niet: ${err.message}`, "error");
      }
    }

    async function downloadPdf() {
      const button = document.getElementById("plan-pdf");
      button.disabled = true;
      button.textContent = "PDF wordt gemaakt…";
      try {
        saveBlob(await request(`${base}/plan.pdf`, { as: "blob" }), fileName("pdf"));
      } catch (err) {
        C.toast(`PDF maken lukte niet: ${err.message}`, "error");
      } finally {
        button.disabled = false;
        button.textContent = "PDF downloaden";
      }
    }

    async function downloadJson() {
      try {
        const plan = await C.api(`${base}/plan`);
        saveBlob(new Blob([JSON.stringify(plan, null, 2)], { type: "application/json" }), fileName("json"));
      } catch (err) {
        C.toast(`JSON ophalen lukte niet: ${err.message}`, "error");
      }
    }

    await load();
    if (params.field) {
      focus(`field-${params.field}`);
    }
    window.addEventListener("resize", stick);
    return () => window.removeEventListener("resize", stick);
  }

  C.register("/sessions", { title: "Gesprekken", roles: ROLES, nav: true, order: 10, render: renderList });
  C.register("/sessions/:id", { title: "Transcript", roles: ROLES, render: renderTranscript });
  C.register("/sessions/:id/:message", { title: "Transcript", roles: ROLES, render: renderTranscript });
  C.register("/plan/:id", { title: "Actieplan", roles: ROLES, render: renderPlan });
  C.register("/plan/:id/:field", { title: "Actieplan", roles: ROLES, render: renderPlan });
})();
