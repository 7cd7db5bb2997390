// The queue (#/queue) and the hand-off alert that runs on every console page.
// One summary banner at the top (issue 15.6): how many wait, the most urgent first with
// the client's words that caused each hand-off, a few rows at most (the queue page has
// them all). A new hand-off sounds once (WebAudio, generated here): three tones for a
// crisis, one otherwise, once per batch however many arrive together.
"use strict";

(function () {
  const C = window.Console;
  const QUEUE_ROLES = ["counsellor", "admin"];
  const REASON_RANK = { crisis: 0, emotion: 1, request: 2, uncertain: 3 };
  const ACK_STORE = "toekomstcoach.console.acknowledged";
  const POLL_MS = 5000;          // when the live feed is down
  const SAFETY_REFRESH_MS = 30000; // even with the feed up: a lost nudge never hides a client
  const BANNER_ROWS = 5;          // the banner never pushes the page away, however many wait
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
    // The most the API gives in one page; the longest waiting must never fall off the end.
    const rows = await C.api(`/staff/sessions?status=${status}&limit=500`);
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
    seenAt: new Map(),        // session id → when we last learned its state (performance.now())
    sounded: new Set(),       // handoff keys that already made a sound on this page
  };
  window.ConsoleAlerts = Alerts;

  function saveAcknowledged() {
    const recent = Array.from(Alerts.acknowledged).slice(-200);
    window.sessionStorage.setItem(ACK_STORE, JSON.stringify(recent));
  }

  /** Every summary we learn about passes here, from the feed or from a poll. */
  function observe(summary, seenAt = performance.now()) {
    if (summary.is_training) return;
    Alerts.seenAt.set(summary.id, seenAt);
    const key = handoffKey(summary);
    if (summary.status === "waiting_for_human") {
      Alerts.waiting.set(summary.id, summary);
      if (!Alerts.pending.has(key) && !Alerts.acknowledged.has(key)) {
        // A crisis escalation replaces the older alert of the same session.
        for (const [old, s] of Alerts.pending) if (s.id === summary.id) Alerts.pending.delete(old);
        Alerts.pending.set(key, summary);
        renderAlert();
        // One sound per hand-off for the life of the page: a hand-off that leaves the list and
        // comes back (a poll answered from before it, a reconnect) is not news again.
        if (!Alerts.sounded.has(key)) { Alerts.sounded.add(key); soundOnce((summary.handoff || {}).reason); }
      }
      else if (!bannerQueued) { bannerQueued = true; window.setTimeout(() => { bannerQueued = false; renderAlert(); }, 0); }
    } else {
      let changed = Alerts.waiting.delete(summary.id);  // the banner's count changes too
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

  // One sound per batch of new hand-offs (a poll may bring many): a crisis sound when any is a crisis.
  let soundQueued = null;
  let bannerQueued = false;
  function soundOnce(reason) {
    if (soundQueued === null) {
      soundQueued = reason;
      window.setTimeout(() => { const kind = soundQueued; soundQueued = null; Alerts.beep(kind); }, 0);
    } else if (reason === "crisis") {
      soundQueued = "crisis";
    }
  }

  function keepCrisisBeeping() {
    // Sound once per new crisis: nothing repeats (the banner stays until someone acts).
    if (Alerts.repeatTimer) { window.clearInterval(Alerts.repeatTimer); Alerts.repeatTimer = null; }
  }

  function countsByReason(items) {
    const counts = {};
    for (const s of items) { const r = (s.handoff || {}).reason || "uncertain"; counts[r] = (counts[r] || 0) + 1; }
    return Object.keys(REASON_RANK).filter((r) => counts[r]).map((r) => `${counts[r]} ${C.label("reason", r).toLowerCase()}`);
  }

  /** The banner: shown while a hand-off is new (not yet seen); it summarises everyone who waits. */
  function renderAlert() {
    const bar = document.getElementById("handoff-alert");
    const waiting = Array.from(Alerts.waiting.values()).sort(waitingFirst);
    const newIds = new Set(Array.from(Alerts.pending.values()).map((s) => s.id));
    bar.replaceChildren();
    bar.hidden = newIds.size === 0 || waiting.length === 0;
    bar.classList.toggle("handoff-alert--crisis", waiting.some((s) => (s.handoff || {}).reason === "crisis"));
    if (bar.hidden) return;
    const n = waiting.length;
    bar.appendChild(C.el("div", { class: "handoff-alert__head" },
      C.el("strong", { class: "handoff-alert__count", text: `${n} ${n === 1 ? "cliënt wacht" : "cliënten wachten"} op een begeleider` }),
      C.el("span", { class: "handoff-alert__kinds", text: countsByReason(waiting).join(" · ") }),
      C.el("span", { class: "handoff-alert__buttons" },
        C.el("button", { class: "btn btn--small", type: "button", onclick: () => { acknowledgeAll(); C.navigate("/queue"); } }, "Naar de wachtrij"),
        C.el("button", { class: "btn btn--quiet btn--small", type: "button", onclick: acknowledgeAll }, "Gezien"))));
    const list = C.el("ol", { class: "handoff-alert__list" });
    for (const summary of waiting.slice(0, BANNER_ROWS)) {
      const reason = (summary.handoff || {}).reason;
      list.appendChild(C.el("li", { class: ["handoff-alert__item", `handoff-alert__item--${reason}`, newIds.has(summary.id) && "handoff-alert__item--new"],
        dataset: { session: summary.id, reason } },
        C.el("span", { class: `tag tag--${reason}`, text: C.label("reason", reason) }),
        C.el("span", { class: "handoff-alert__trigger", text: triggerText(summary), title: summary.trigger_text || "" }),
        C.el("span", { class: "handoff-alert__wait", text: `wacht ${C.formatWait((summary.handoff || {}).at)}` }),
        C.el("button", { class: "btn btn--primary btn--small", type: "button", onclick: () => takeOver(summary.id) }, "Overnemen")));
    }
    bar.appendChild(list);
    if (n > BANNER_ROWS) {
      bar.appendChild(C.el("p", { class: "handoff-alert__more" },
        C.el("a", { href: "#/queue", text: `en nog ${n - BANNER_ROWS} in de wachtrij` })));
    }
  }

  function acknowledgeAll() {
    for (const key of Array.from(Alerts.pending.keys())) acknowledge(key);
  }

  async function pollWaiting() {
    const asked = performance.now();
    try {
      const waiting = await listSessions("waiting_for_human");
      const ids = new Set(waiting.map((s) => s.id));
      for (const id of Array.from(Alerts.waiting.keys())) {
        // The answer is as old as the question: news from the feed since then is newer.
        if (!ids.has(id) && !((Alerts.seenAt.get(id) || 0) > asked)) {
          observe({ ...Alerts.waiting.get(id), status: "unknown" }, asked);
        }
      }
      waiting.filter((s) => !((Alerts.seenAt.get(s.id) || 0) > asked)).forEach((s) => observe(s, asked));
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
    Alerts.seenAt.clear();
    const bar = document.getElementById("handoff-alert");
    if (bar) { bar.replaceChildren(); bar.hidden = true; }
  }

  C.on("login", startWatching);
  C.on("logout", () => { stopWatching(); Alerts.sounded.clear(); });
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
  Alerts.poll = pollWaiting;  // what the timer calls; tests call it to hold one answer back
  Alerts.acknowledgeSession = acknowledgeSession;

  // --- the queue page ----------------------------------------------------------------

  // Reading a transcript is audited, so it is read again only when something new was said.
  const triggers = new Map();   // session id → {key, value}

  async function triggerOf(summary) {
    // The list carries the trigger (API extension): no transcript read per waiting client.
    if ("trigger_text" in summary) return { text: summary.trigger_text, since: summary.messages_since_trigger || 0 };
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

  function triggerText(summary) {
    return summary.trigger_text ? `“${summary.trigger_text}”` : "(geen bericht: de coach of het systeem gaf het gesprek door)";
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
    // A socket that comes back (a replica restarted, the network blinked) may have missed
    // pushes: the queue is read again at once.
    const stopFeedState = C.on("feed", ({ connected }) => { window.clearTimeout(pollTimer); if (connected) load(); poll(); });
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
