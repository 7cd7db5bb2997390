// Trainer workbench: the sandbox (#/trainer/sandbox, #/trainer/sandbox/:id): the trainer chats as a client, always
// marked as training; a counsellor can take it over (live.js) and it can be wiped.
// Scenario, client and bot text only ever reaches the page as text.
"use strict";

(function () {
  const C = window.Console;
  const { ROLES, SANDBOX_POLL_MS, REQUEST_HUMAN, enc, counted, section, toolbar, button } = C.trainer;

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


  C.register("/trainer/sandbox", { title: "Oefenen", roles: ROLES, nav: true, order: 22, render: renderSandbox });
  C.register("/trainer/sandbox/:id", { title: "Oefengesprek", roles: ROLES, render: renderSandboxChat });
})();
