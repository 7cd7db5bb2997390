// The queue (#/queue) and the hand-off alert that runs on every console page.
// A new hand-off shows a bar at the top and beeps (WebAudio, generated here);
// a crisis keeps beeping until someone acknowledges it or takes the session over.
"use strict";

(function () {
  const C = window.Console;
  const QUEUE_ROLES = ["counsellor", "admin"];
  const REASON_RANK = { crisis: 0, emotion: 1, request: 2, uncertain: 3 };
  const ACK_STORE = "toekomstcoach.console.acknowledged";
  const POLL_MS = 5000;          // when the live feed is down
  const SAFETY_REFRESH_MS = 30000; // even with the feed up: a lost nudge never hides a client
  const CRISIS_REPEAT_MS = 4000;
  const TICK_MS = 20000;

  // --- sound -------------------------------------------------------------------

  let audioContext = null;

  function audio() {
    const AudioCtor = window.AudioContext || window.webkitAudioContext;
    if (!AudioCtor) return null;
    if (!audioContext) audioContext = new AudioCtor();
    if (audioContext.state === "suspended") audioContext.resume().catch(() => {});
    return audioContext;
  }

  /** Short tones: three for a crisis, one otherwise. Returns false without WebAudio. */
  function beep(kind) {
    Alerts.beeps += 1;
    const ac = audio();
    if (!ac) return false;
    const tones = kind === "crisis" ? [880, 660, 880] : [660];
    tones.forEach((frequency, i) => {
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      const start = ac.currentTime + i * 0.25;
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.35, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
      osc.connect(gain);
      gain.connect(ac.destination);
      osc.start(start);
      osc.stop(start + 0.22);
    });
    return true;
  }

  // --- which sessions wait ------------------------------------------------------

  function isQueueUser() {
    return Boolean(C.user && QUEUE_ROLES.includes(C.user.role));
  }

  function handoffKey(summary) {
    return `${summary.id}|${summary.handoff ? summary.handoff.reason + "|" + summary.handoff.at : ""}`;
  }

  function waitingFirst(a, b) {
    const ra = REASON_RANK[(a.handoff || {}).reason] ?? 9;
    const rb = REASON_RANK[(b.handoff || {}).reason] ?? 9;
    if (ra !== rb) return ra - rb;
    return String((a.handoff || {}).at || a.started_at).localeCompare(String((b.handoff || {}).at || b.started_at));
  }

  async function listSessions(status) {
    const rows = await C.api(`/staff/sessions?status=${status}&limit=200`);
    return rows.filter((s) => !s.is_training);  // training hand-offs belong to the sandbox
  }

  // --- the alert (every page) ----------------------------------------------------

  const Alerts = {
    beeps: 0,
    beep,                     // replaceable in tests; always called through Alerts.beep
    pending: new Map(),       // handoff key → summary
    acknowledged: new Set(JSON.parse(window.sessionStorage.getItem(ACK_STORE) || "[]")),
    waiting: new Map(),       // session id → summary, for the nav badge
    repeatTimer: null,
    pollTimer: null,
    stops: [],
  };
  window.ConsoleAlerts = Alerts;

  function saveAcknowledged() {
    const recent = Array.from(Alerts.acknowledged).slice(-200);
    window.sessionStorage.setItem(ACK_STORE, JSON.stringify(recent));
  }

  /** Every summary we learn about passes here, from the feed or from a poll. */
  function observe(summary) {
    if (summary.is_training) return;
    const key = handoffKey(summary);
    if (summary.status === "waiting_for_human") {
      Alerts.waiting.set(summary.id, summary);
      if (!Alerts.pending.has(key) && !Alerts.acknowledged.has(key)) {
        // A crisis escalation replaces the older alert of the same session.
        for (const [old, s] of Alerts.pending) if (s.id === summary.id) Alerts.pending.delete(old);
        Alerts.pending.set(key, summary);
        renderAlert();
        Alerts.beep((summary.handoff || {}).reason);
      }
    } else {
      Alerts.waiting.delete(summary.id);
      let changed = false;
      for (const [old, s] of Alerts.pending) if (s.id === summary.id) { Alerts.pending.delete(old); changed = true; }
      if (changed) renderAlert();
    }
    C.badge("/queue", Alerts.waiting.size);
    keepCrisisBeeping();
  }

  function acknowledge(key) {
    Alerts.pending.delete(key);
    Alerts.acknowledged.add(key);
    saveAcknowledged();
    renderAlert();
    keepCrisisBeeping();
  }

  function acknowledgeSession(sessionId) {
    for (const [key, s] of Array.from(Alerts.pending)) if (s.id === sessionId) acknowledge(key);
  }

  function keepCrisisBeeping() {
    const crisis = Array.from(Alerts.pending.values()).some((s) => (s.handoff || {}).reason === "crisis");
    if (crisis && !Alerts.repeatTimer) {
      Alerts.repeatTimer = window.setInterval(() => Alerts.beep("crisis"), CRISIS_REPEAT_MS);
    } else if (!crisis && Alerts.repeatTimer) {
      window.clearInterval(Alerts.repeatTimer);
      Alerts.repeatTimer = null;
    }
  }

  function renderAlert() {
    const bar = document.getElementById("handoff-alert");
    const items = Array.from(Alerts.pending.entries()).sort((a, b) => waitingFirst(a[1], b[1]));
    bar.replaceChildren();
    bar.hidden = items.length === 0;
    bar.classList.toggle("handoff-alert--crisis", items.some(([, s]) => (s.handoff || {}).reason === "crisis"));
    for (const [key, summary] of items) {
      const reason = (summary.handoff || {}).reason;
      bar.appendChild(C.el("div", { class: `handoff-alert__item handoff-alert__item--${reason}`, dataset: { session: summary.id } },
        C.el("span", { class: `tag tag--${reason}`, text: C.label("reason", reason) }),
        C.el("span", { class: "handoff-alert__text",
          text: `Een cliënt wacht op een begeleider (fase ${C.label("phase", summary.phase)}, sinds ${C.formatTime((summary.handoff || {}).at)})` }),
        C.el("button", { class: "btn btn--primary btn--small", type: "button", onclick: () => takeOver(summary.id) }, "Overnemen"),
        C.el("button", { class: "btn btn--small", type: "button", onclick: () => { acknowledge(key); C.navigate("/queue"); } }, "Naar de wachtrij"),
        C.el("button", { class: "btn btn--quiet btn--small", type: "button", onclick: () => acknowledge(key) }, "Gezien"),
      ));
    }
  }

  async function pollWaiting() {
    try {
      const waiting = await listSessions("waiting_for_human");
      const ids = new Set(waiting.map((s) => s.id));
      for (const id of Array.from(Alerts.waiting.keys())) {
        if (!ids.has(id)) observe({ ...Alerts.waiting.get(id), status: "unknown" });
      }
      waiting.forEach(observe);
    } catch (err) {
      if (err.status !== 401) console.warn("queue poll failed", err);
    }
  }

  function schedulePoll() {
    window.clearTimeout(Alerts.pollTimer);
    if (!isQueueUser()) return;
    Alerts.pollTimer = window.setTimeout(async () => {
      await pollWaiting();
      schedulePoll();
    }, C.feedConnected ? SAFETY_REFRESH_MS : POLL_MS);
  }

  function startWatching() {
    stopWatching();
    if (!isQueueUser()) return;
    Alerts.stops.push(C.on("session", (event) => observe(event.session)));
    Alerts.stops.push(C.on("feed", ({ connected }) => { if (connected) pollWaiting(); schedulePoll(); }));
    Alerts.stops.push(C.on("gesture", () => audio()));
    pollWaiting();
    schedulePoll();
  }

  function stopWatching() {
    Alerts.stops.splice(0).forEach((stop) => stop());
    window.clearTimeout(Alerts.pollTimer);
    window.clearInterval(Alerts.repeatTimer);
    Alerts.repeatTimer = null;
    Alerts.pending.clear();
    Alerts.waiting.clear();
    const bar = document.getElementById("handoff-alert");
    if (bar) { bar.replaceChildren(); bar.hidden = true; }
  }

  C.on("login", startWatching);
  C.on("logout", stopWatching);
  C.on("gesture", () => { if (isQueueUser()) audio(); });

  // --- take over -------------------------------------------------------------------

  async function takeOver(sessionId) {
    try {
      await C.api(`/staff/sessions/${encodeURIComponent(sessionId)}/takeover`, { method: "POST" });
      acknowledgeSession(sessionId);
      C.navigate(`/live/${sessionId}`);
    } catch (err) {
      C.toast(`Overnemen lukte niet: ${err.message}`, "error");
    }
  }
  Alerts.takeOver = takeOver;
  Alerts.acknowledgeSession = acknowledgeSession;

  // --- the queue page ----------------------------------------------------------------

  // Reading a transcript is audited, so it is read again only when something new was said.
  const triggers = new Map();   // session id → {key, value}

  async function triggerOf(summary) {
    const key = `${handoffKey(summary)}|${summary.last_message_at}`;
    const cached = triggers.get(summary.id);
    if (cached && cached.key === key) return cached.value;
    const value = await readTrigger(summary);
    triggers.set(summary.id, { key, value });
    return value;
  }

  async function readTrigger(summary) {
    const detail = await C.api(`/staff/sessions/${encodeURIComponent(summary.id)}`);
    const open = (detail.handoffs || []).filter((h) => !h.closed_at).pop();
    const byId = new Map(detail.messages.map((m) => [m.id, m]));
    const trigger = open && open.message_id ? byId.get(open.message_id) : null;
    const since = trigger
      ? detail.messages.filter((m) => m.sender === "client" && m.seq > trigger.seq).length
      : 0;
    return { text: trigger ? trigger.text : null, since };
  }

  function waitingItem(summary, trigger) {
    const reason = (summary.handoff || {}).reason;
    const extra = trigger && trigger.since
      ? `${trigger.since} ${trigger.since === 1 ? "nieuw bericht" : "nieuwe berichten"} sindsdien` : null;
    return C.el("li", { class: ["queue-item", reason === "crisis" && "queue-item--crisis"], dataset: { session: summary.id, reason } },
      C.el("div", {},
        C.el("div", { class: "queue-item__meta" },
          C.el("span", { class: `tag tag--${reason}`, text: C.label("reason", reason) }),
          C.el("span", { class: "queue-item__wait", dataset: { since: (summary.handoff || {}).at || "" },
            text: `wacht ${C.formatWait((summary.handoff || {}).at)}` }),
          C.el("span", { text: `fase ${C.label("phase", summary.phase)}` }),
          summary.client_ref ? C.el("span", { text: `cliënt ${summary.client_ref}` }) : null,
          summary.language !== "nl" ? C.el("span", { text: `taal ${summary.language}` }) : null,
          extra ? C.el("span", { text: extra }) : null,
        )),
      C.el("div", { class: "queue-item__actions" },
        C.el("button", { class: "btn btn--small", type: "button", title: "U leest live mee; de cliënt merkt niets.", onclick: () => C.navigate(`/live/${summary.id}`) }, "Live meelezen"),
        C.el("button", { class: "btn btn--primary", type: "button", onclick: () => takeOver(summary.id) }, "Overnemen")),
      C.el("p", { class: "queue-item__trigger", text: trigger && trigger.text ? trigger.text : "(geen bericht: de coach of het systeem gaf het gesprek door)" }),
    );
  }

  function heldItem(summary) {
    const mine = C.user && summary.assigned_to === C.user.username;
    return C.el("li", { class: "queue-item queue-item--held", dataset: { session: summary.id } },
      C.el("div", { class: "queue-item__meta" },
        C.el("span", { class: "tag tag--human", text: mine ? "Bij u" : `Bij ${summary.assigned_to || "een collega"}` }),
        C.el("span", { text: `fase ${C.label("phase", summary.phase)}` }),
        C.el("span", { text: `laatste bericht ${C.formatTime(summary.last_message_at)}` })),
      C.el("div", { class: "queue-item__actions" },
        C.el("button", { class: mine ? "btn btn--primary" : "btn", type: "button", onclick: () => C.navigate(`/live/${summary.id}`) },
          mine ? "Verder met gesprek" : "Live meelezen")));
  }

  function botItem(summary) {
    return C.el("li", { class: "queue-item queue-item--bot", dataset: { session: summary.id } },
      C.el("div", { class: "queue-item__meta" },
        C.el("span", { class: "tag tag--bot", text: "Met de coach" }),
        C.el("span", { text: `fase ${C.label("phase", summary.phase)}` }),
        C.el("span", { text: `gestart ${C.formatTime(summary.started_at)}` }),
        C.el("span", { text: `laatste bericht ${C.formatTime(summary.last_message_at)}` })),
      C.el("div", { class: "queue-item__actions" },
        C.el("button", { class: "btn btn--small", type: "button", title: "U leest live mee; de cliënt merkt niets.", onclick: () => C.navigate(`/live/${summary.id}`) }, "Live meelezen"),
        C.el("button", { class: "btn", type: "button", onclick: () => takeOver(summary.id) }, "Overnemen")));
  }

  function section(id, title, hint) {
    const list = C.el("ul", { class: "queue-list", id: `${id}-list` });
    const count = C.el("span", { class: "muted", id: `${id}-count` });
    return { list, count, node: C.el("section", { class: "section", id },
      C.el("div", { class: "section__head" }, C.el("h2", { text: title }), count),
      hint ? C.el("p", { class: "muted", text: hint }) : null, list) };
  }

  function fill(part, items, emptyText) {
    part.list.replaceChildren(...(items.length ? items : [C.el("li", { class: "empty", text: emptyText })]));
    part.count.textContent = `(${items.length})`;
  }

  async function renderQueue(page) {
    const waiting = section("queue-waiting", "Wacht op een begeleider", "Crisis eerst, daarna wie het langst wacht.");
    const held = section("queue-held", "In gesprek met een begeleider");
    const bot = section("queue-bot", "Gesprekken met de coach", "Live meelezen: u ziet het gesprek, de cliënt merkt niets. Overnemen: u praat zelf met de cliënt.");
    const updated = C.el("span", { class: "muted", id: "queue-updated" });
    page.append(C.el("div", { class: "section__head" }, C.el("h1", { text: "Wachtrij" }), updated),
      waiting.node, held.node, bot.node);

    let loading = null;
    let again = false;
    async function load() {
      if (loading) { again = true; return loading; }
      loading = (async () => {
        try {
          const [w, h, b] = await Promise.all(["waiting_for_human", "human", "bot"].map(listSessions));
          w.sort(waitingFirst);
          w.forEach(observe);
          const found = await Promise.all(w.map((s) => triggerOf(s).catch(() => null)));
          fill(waiting, w.map((s, i) => waitingItem(s, found[i])), "Niemand wacht op dit moment.");
          fill(held, h.map(heldItem), "Geen gesprekken bij een begeleider.");
          fill(bot, b.map(botItem), "Geen lopende gesprekken met de coach.");
          updated.textContent = `bijgewerkt ${new Date().toLocaleTimeString("nl-NL")}`;
        } catch (err) {
          if (err.status !== 401) C.toast(`Wachtrij laden lukte niet: ${err.message}`, "error");
        }
      })();
      await loading;
      loading = null;
      if (again) { again = false; await load(); }
    }

    let debounce = null;
    const stopFeed = C.on("session", () => {
      window.clearTimeout(debounce);
      debounce = window.setTimeout(load, 250);
    });
    let pollTimer = null;
    const poll = () => {
      pollTimer = window.setTimeout(async () => { await load(); poll(); }, C.feedConnected ? SAFETY_REFRESH_MS : POLL_MS);
    };
    const stopFeedState = C.on("feed", () => { window.clearTimeout(pollTimer); poll(); });
    const tick = window.setInterval(() => {
      page.querySelectorAll(".queue-item__wait").forEach((node) => {
        node.textContent = `wacht ${C.formatWait(node.dataset.since)}`;
      });
    }, TICK_MS);

    await load();
    poll();
    return () => {
      stopFeed();
      stopFeedState();
      window.clearTimeout(debounce);
      window.clearTimeout(pollTimer);
      window.clearInterval(tick);
    };
  }

  C.register("/queue", { title: "Wachtrij", roles: QUEUE_ROLES, nav: true, home: true, order: 0, render: renderQueue });
})();
