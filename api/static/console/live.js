// Live chat (#/live/:id): follow one conversation, take it over, write to the
// client, hand it back to the coach in a chosen phase, or close it.
// The database is the source of truth: every nudge re-reads the transcript.
"use strict";

(function () {
  const C = window.Console;
  const PHASES = ["verkennen", "kiezen", "verkrijgen", "afgerond"];
  // Each read of the transcript is audited: re-read on the feed's nudges, poll only without it.
  const POLL_MS = 4000;            // when the live feed is down
  const SAFETY_REFRESH_MS = 60000; // even with the feed up, in case a nudge went to another worker
  const MAX_CHARS = 2000;

  const EVENT_TEXT = {
    takeover: "Overgenomen door een begeleider",
    handback: "Teruggegeven aan de coach",
    closed: "Gesprek afgesloten",
    client_left: "De cliënt is weggegaan bij de kiosk (de oproep blijft staan)",
  };

  function eventText(message) {
    const event = message.event || "";
    if (event.startsWith("handoff:")) return `Doorgegeven aan een begeleider: ${C.label("reason", event.slice(8))}`;
    return EVENT_TEXT[event] || event;
  }

  // What the coach understood and noticed, in the staff's words (bot/staff_words.py via the API);
  // the machine's names (intent, certainty, flag) only for trainers, behind "Technisch".
  function clientInfo(message) {
    const parts = [];
    const safety = message.safety || {};
    const understood = message.understood || {};
    if (safety.category && safety.category !== "none") parts.push(`signaal: ${C.label("reason", safety.category)}`);
    if (understood.signal) parts.push(understood.signal);
    if (understood.raised) parts.push(understood.raised);
    if (understood.summary) parts.push(understood.summary);
    if (message.forwarded_to_rasa === false) parts.push("niet naar de coach gestuurd");
    return parts.join(" · ");
  }

  function technicalInfo(message) {
    if (!["trainer", "admin"].includes((C.user || {}).role)) return null;
    const safety = message.safety || {};
    const confidence = typeof message.confidence === "number" ? ` (${Math.round(message.confidence * 100)}%)` : "";
    const text = [message.intent ? `intent: ${message.intent}${confidence}` : null,
      safety.flag ? `vlag: ${safety.flag}` : null,
      safety.escalation ? `escalatie: ${safety.escalation}` : null].filter(Boolean).join(" · ");
    return text ? C.el("details", { class: "bubble__technical" }, C.el("summary", { text: "Technisch (voor trainers)" }),
      C.el("span", { class: "bubble__info", text })) : null;
  }

  function messageNode(message) {
    if (message.sender === "system") {
      return C.el("div", { class: "event", dataset: { seq: message.seq, event: message.event || "" },
        text: `${message.event ? eventText(message) : message.text} · ${C.formatTime(message.at)}` });
    }
    const safety = message.safety || {};
    const who = message.sender === "counsellor" && message.author
      ? `Begeleider (${message.author})` : C.label("sender", message.sender);
    const classes = ["bubble", `bubble--${message.sender}`,
      message.sender === "client" && safety.category === "crisis" && "bubble--crisis",
      message.sender === "client" && safety.category && safety.category !== "none" && safety.category !== "crisis" && "bubble--flagged"];
    const info = message.sender === "client" ? clientInfo(message) : "";
    const withheld = (message.withheld_bot_replies || []).map((reply) =>
      C.el("div", { class: "withheld", text: `Niet aan de cliënt getoond (coach): ${reply.text}` }));
    const buttons = (message.buttons || []).length
      ? C.el("span", { class: "bubble__info", text: "Knoppen: " + message.buttons.map((b) => b.title).join(" · ") }) : null;
    return C.el("div", { class: classes, dataset: { seq: message.seq, sender: message.sender } },
      C.el("span", { class: "bubble__who", text: `${who} · ${C.formatTime(message.at)}` }),
      C.el("span", { class: "bubble__text", text: message.text }),
      buttons,
      info ? C.el("span", { class: "bubble__info", text: info }) : null,
      message.sender === "client" ? technicalInfo(message) : null,
      withheld);
  }

  async function renderLive(page, params) {
    const sessionId = params.id;
    const path = `/staff/sessions/${encodeURIComponent(sessionId)}`;
    let detail = await C.api(path);
    let lastSeq = 0;
    let stateKey = null;
    let closing = false;

    const title = C.el("h1", { text: "Gesprek" });
    const tags = C.el("span", { class: "live__tags" });
    const transcript = C.el("div", { class: "transcript", id: "live-transcript", role: "log", "aria-label": "Gesprek (live)", tabindex: 0 });
    const input = C.el("textarea", { id: "live-input", maxlength: MAX_CHARS, rows: 3,
      "aria-label": "Bericht aan de cliënt", placeholder: "Schrijf aan de cliënt… (Enter verstuurt, Shift+Enter nieuwe regel)" });
    const counter = C.el("span", { class: "composer__count", text: `0 / ${MAX_CHARS}` });
    const sendButton = C.el("button", { class: "btn btn--primary", type: "button", id: "live-send" }, "Verstuur");
    const composer = C.el("div", { class: "composer", id: "live-composer", hidden: true },
      input, C.el("div", {}, sendButton, C.el("br"), counter));
    const actions = C.el("div", { class: "card", id: "live-actions" });
    const facts = C.el("div", { class: "card", id: "live-facts" });
    const links = C.el("div", { class: "card", id: "live-links" });

    page.append(C.el("div", { class: "live" },
      C.el("div", { class: "live__head" }, title, tags),
      C.el("div", { class: "live__chat" }, transcript, composer),
      C.el("aside", { class: "live__side" }, actions, facts, links)));

    // --- transcript ---------------------------------------------------------------

    function appendMessages(messages) {
      const nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
      const fresh = messages.filter((m) => m.seq > lastSeq);
      for (const message of fresh) transcript.appendChild(messageNode(message));
      if (fresh.length) lastSeq = fresh[fresh.length - 1].seq;
      if (fresh.length && (nearBottom || lastSeq === fresh.length)) transcript.scrollTop = transcript.scrollHeight;
    }

    // --- state-dependent parts ---------------------------------------------------

    function mine() {
      return detail.status === "human" && C.user &&
        (detail.assigned_to === C.user.username || C.user.role === "admin");
    }

    function renderHead() {
      title.textContent = `Gesprek ${detail.client_ref ? "met " + detail.client_ref : sessionId.slice(0, 8)}`;
      const reason = (detail.handoff || {}).reason;
      tags.replaceChildren(C.el("span", {},
        C.el("span", { class: `tag tag--${detail.status}`, id: "live-status", text: C.label("status", detail.status) }),
        " ",
        C.el("span", { class: "tag", id: "live-phase", text: `fase ${C.label("phase", detail.phase)}` }),
        " ",
        reason ? C.el("span", { class: `tag tag--${reason}`, text: C.label("reason", reason) }) : null,
        " ",
        detail.assigned_to ? C.el("span", { class: "tag tag--human", text: `bij ${detail.assigned_to}` }) : null,
        detail.is_training ? C.el("span", { class: "tag", text: "oefensessie" }) : null));
    }

    function renderActions() {
      const key = `${detail.status}|${detail.assigned_to}|${detail.phase}`;
      composer.hidden = !mine();
      if (key === stateKey) return;
      stateKey = key;
      closing = false;
      actions.replaceChildren(C.el("h2", { text: "Acties" }));
      if (detail.status === "closed") {
        actions.appendChild(C.el("p", { class: "muted", text: `Afgesloten ${C.formatTime(detail.closed_at)}. Het transcript blijft bewaard.` }));
        return;
      }
      if (detail.status === "bot" || detail.status === "waiting_for_human") {
        actions.appendChild(C.el("p", { class: "muted", text: detail.status === "bot"
          ? "De coach praat met de cliënt. U leest live mee; de cliënt merkt dat niet. U kunt het gesprek overnemen." : "De cliënt wacht op een begeleider." }));
        actions.appendChild(C.el("button", { class: "btn btn--primary", type: "button", id: "live-takeover", onclick: takeOver }, "Overnemen"));
      } else if (!mine()) {
        actions.appendChild(C.el("p", { class: "muted", text: `${detail.assigned_to || "Een collega"} voert dit gesprek.` }));
      } else {
        const select = C.el("select", { id: "live-phase-select", "aria-label": "Fase waarin de coach verder gaat" },
          PHASES.map((phase) => C.el("option", { value: phase, selected: phase === detail.phase },
            C.label("phase", phase) + (phase === detail.phase ? " (huidige fase)" : ""))));
        actions.append(
          C.el("label", { for: "live-phase-select", text: "De coach gaat verder in fase" }), select,
          C.el("button", { class: "btn btn--primary", type: "button", id: "live-handback",
            onclick: () => handBack(select.value) }, "Teruggeven aan de coach"));
      }
      const confirmBox = C.el("div", { class: "confirm", hidden: true },
        C.el("span", { text: "Het gesprek stopt ook voor de cliënt. Zeker weten?" }),
        C.el("button", { class: "btn btn--danger", type: "button", id: "live-close-confirm", onclick: closeSession }, "Ja, afsluiten"),
        C.el("button", { class: "btn btn--quiet", type: "button", onclick: () => { confirmBox.hidden = true; } }, "Annuleren"));
      actions.append(C.el("hr"),
        C.el("button", { class: "btn btn--danger", type: "button", id: "live-close",
          onclick: () => { confirmBox.hidden = false; } }, "Gesprek afsluiten"), confirmBox);
    }

    function renderFacts() {
      const rows = [
        ["Gestart", C.formatTime(detail.started_at)],
        ["Taal", detail.language],
        ["Cliëntnummer", detail.client_ref || "—"],
      ];
      const handoffs = (detail.handoffs || []).map((h) => C.el("li", {},
        `${C.label("reason", h.reason)} om ${C.formatTime(h.at)}`,
        h.taken_by ? ` · overgenomen door ${h.taken_by} om ${C.formatTime(h.taken_at)}` : "",
        h.handed_back_at ? ` · terug om ${C.formatTime(h.handed_back_at)}` : ""));
      facts.replaceChildren(C.el("h2", { text: "Gegevens" }),
        C.el("dl", { class: "facts" }, rows.map(([k, v]) => [C.el("dt", { text: k }), C.el("dd", { text: v })])),
        C.el("h3", { text: "Doorverwijzingen" }),
        handoffs.length ? C.el("ul", {}, handoffs) : C.el("p", { class: "muted", text: "Geen." }));
      const items = [];
      if (C.hasRoute("/plan/:id")) items.push(C.el("a", { href: `#/plan/${sessionId}` }, "Actieplan bekijken"));
      if (C.hasRoute("/sessions/:id")) items.push(C.el("a", { href: `#/sessions/${sessionId}` }, "Volledig transcript"));
      items.push(C.el("a", { href: "#/queue" }, "Terug naar de wachtrij"));
      links.replaceChildren(C.el("h2", { text: "Verder" }), C.el("ul", {}, items.map((a) => C.el("li", {}, a))));
    }

    function show() {
      appendMessages(detail.messages || []);
      renderHead();
      renderActions();
      renderFacts();
    }

    let loading = null;
    let again = false;
    async function refresh() {
      if (loading) { again = true; return loading; }
      loading = (async () => {
        try {
          detail = await C.api(path);
          show();
        } catch (err) {
          if (err.status !== 401) C.toast(`Bijwerken lukte niet: ${err.message}`, "error");
        }
      })();
      await loading;
      loading = null;
      if (again) { again = false; await refresh(); }
    }

    // --- staff actions -------------------------------------------------------------

    async function act(what, request, done) {
      try {
        await request();
        if (done) C.toast(done, "success");
      } catch (err) {
        C.toast(`${what} lukte niet: ${err.message}`, "error");
      }
      await refresh();
    }

    function takeOver() {
      return act("Overnemen", async () => {
        await C.api(`${path}/takeover`, { method: "POST" });
        if (window.ConsoleAlerts) window.ConsoleAlerts.acknowledgeSession(sessionId);
        input.focus();
      }, "U praat nu met de cliënt.");
    }

    function handBack(phase) {
      return act("Teruggeven", () => C.api(`${path}/handback`, { method: "POST", body: { phase } }),
        `De coach gaat verder in fase ${C.label("phase", phase)}.`);
    }

    function closeSession() {
      if (closing) return null;
      closing = true;
      return act("Afsluiten", () => C.api(`${path}/close`, { method: "POST" }), "Het gesprek is afgesloten.");
    }

    async function send() {
      const text = input.value;
      if (!text.trim()) { input.focus(); return; }
      if (text.length > MAX_CHARS) { C.toast(`Het bericht is te lang (${text.length} tekens, max ${MAX_CHARS}).`, "error"); return; }
      sendButton.disabled = true;
      try {
        await C.api(`${path}/messages`, { method: "POST", body: { text } });
        if (input.value === text) input.value = "";  // keep what was typed meanwhile
        counter.textContent = `${input.value.length} / ${MAX_CHARS}`;
      } catch (err) {
        C.toast(`Versturen lukte niet: ${err.message}. Uw tekst staat nog in het vak.`, "error");
      } finally {
        sendButton.disabled = false;
      }
      await refresh();
      input.focus();
    }

    sendButton.addEventListener("click", send);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); }
    });
    input.addEventListener("input", () => { counter.textContent = `${input.value.length} / ${MAX_CHARS}`; });

    show();

    // --- live updates -----------------------------------------------------------------

    const stopFeed = C.on("session", (event) => { if (event.session.id === sessionId) refresh(); });
    let pollTimer = null;
    const poll = () => {
      pollTimer = window.setTimeout(async () => { await refresh(); poll(); },
        C.feedConnected ? SAFETY_REFRESH_MS : POLL_MS);
    };
    const stopFeedState = C.on("feed", ({ connected }) => {
      window.clearTimeout(pollTimer);
      if (connected) refresh();
      poll();
    });
    poll();
    return () => { stopFeed(); stopFeedState(); window.clearTimeout(pollTimer); };
  }

  C.register("/live/:id", { title: "Live gesprek", roles: ["counsellor", "admin", "trainer"], nav: false, render: renderLive });
})();
