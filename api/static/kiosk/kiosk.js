// Kiosk client: one conversation at a time, talking only to the API.
// Every text from the server is rendered with textContent (never innerHTML).
"use strict";

(function () {
  const API = "/api/v1";
  const KEY_STORE = "toekomstcoach.kioskKey";
  // A kiosk is shared: nothing of a talk is kept across a reload (no session id in any storage).
  // Older pages kept it here; it is removed at start.
  const OLD_SESSION_STORE = "toekomstcoach.sessionId";
  const REQUEST_HUMAN = { title: "Ik wil met een mens praten", payload: "/request_human" };
  const POLL_MS = 2500;
  const WS_RETRY_MS = 5000;
  const NOTICE_MS = 15000;
  // Shown on the fresh welcome screen after a talk ended; nothing of the talk stays on screen.
  const GOODBYE_TEXT = {
    ended: "Het gesprek is gestopt. Dank u wel.",
    closed: "Het gesprek is afgesloten. Dank u wel.",
    idle: "Het gesprek is gestopt, omdat u weg was.",
  };
  const CODE_ERROR_TEXT = {
    422: "Deze code werkt niet. Vraag uw begeleider om een nieuwe code.",
    429: "U heeft te vaak een code geprobeerd. Wacht even of vraag een medewerker.",
  };

  const STATUS_TEXT = {
    waiting_for_human: "Er komt een begeleider. Even geduld, meestal binnen een paar minuten.",
    human: "U praat nu met een begeleider.",
    closed: "Het gesprek is afgesloten. Dank u wel.",
  };
  // While waiting: the queue's estimate (handoff.estimate_minutes), and a calm word the first time the client writes.
  const WAIT_TEXT = (minutes) => `Er komt een begeleider. Even geduld, ongeveer ${minutes} ${minutes === 1 ? "minuut" : "minuten"}.`;
  const SAVED_WHILE_WAITING_TEXT = "Uw bericht is bewaard. De begeleider leest het.";
  // State-change notes arrive as machine keys (`event`); the banner already says
  // "a counsellor is coming" or "closed", so only the changes of speaker are shown.
  const EVENT_TEXT = {
    takeover: "Een begeleider praat nu met u.",
    handback: "U praat weer met de coach.",
  };
  const SENDER_LABEL = { bot: "Coach", counsellor: "Begeleider", system: "Bericht", client: "U" };
  const ERROR_TEXT = {
    401: "De kiosk is niet goed ingesteld. Vraag een medewerker.",
    404: "Dit gesprek bestaat niet meer. Start een nieuw gesprek.",
    409: "Dit gesprek is afgesloten.",
    413: "Uw bericht is te lang. Maak het korter, of stuur het in delen.",
    422: "Het bericht is leeg of niet goed. Probeer het opnieuw.",
    429: "U stuurt veel berichten snel na elkaar. Wacht even en probeer het opnieuw.",
    503: "Er is een storing. Uw bericht is misschien niet bewaard. Probeer het opnieuw of vraag een medewerker.",
    network: "Geen verbinding. Probeer het opnieuw of vraag een medewerker.",
  };

  const $ = (id) => document.getElementById(id);
  const els = {
    keyScreen: $("key-screen"), keyForm: $("key-form"), keyInput: $("key-input"), keyError: $("key-error"),
    startScreen: $("start-screen"), startButton: $("start-button"), startError: $("start-error"),
    chat: $("chat-screen"), log: $("log"), quick: $("quick-replies"), banner: $("status-banner"),
    crisis: $("crisis-card"), crisisLines: $("crisis-lines"),
    composer: $("composer"), input: $("message-input"), send: $("send-button"), sendError: $("send-error"),
    human: $("human-button"), stop: $("stop-button"),
    stopConfirm: $("stop-confirm"), stopYes: $("stop-yes"), stopNo: $("stop-no"),
    idleCheck: $("idle-check"), idleYes: $("idle-yes"), startNotice: $("start-notice"),
    codeOpen: $("code-open"), codeForm: $("code-form"), codeInput: $("code-input"),
  };
  const IDLE = idleSeconds();
  const TALK_END = talkEnd();

  const state = {
    key: null, sessionId: null, lastId: null, status: null, phase: null, handoff: null,
    seen: new Set(), socket: null, pollTimer: null, busy: false, lastBotButtons: [],
    idleTimer: null, idleClearTimer: null, noticeTimer: null, talkOver: false,
  };

  // "warn,clear" seconds from the page (COACH_KIOSK_IDLE_WARN_S, COACH_KIOSK_IDLE_CLEAR_S).
  function idleSeconds() {
    const meta = document.querySelector('meta[name="kiosk-idle"]');
    const [warn, clear] = (meta ? meta.getAttribute("content") : "").split(",").map(Number);
    return { warn: warn > 0 ? warn : 180, clear: clear > 0 ? clear : 60 };
  }

  // "seconds|utter_a,utter_b": the bot's last words of a talk, and how long they stay on screen
  // (COACH_KIOSK_AFTER_GOODBYE_S; the names come from bot/conversation/phases.py).
  function talkEnd() {
    const meta = document.querySelector('meta[name="kiosk-talk-end"]');
    const [seconds, names] = (meta ? meta.getAttribute("content") : "").split("|");
    return { seconds: Number(seconds) > 0 ? Number(seconds) : 45, names: new Set((names || "").split(",").filter(Boolean)) };
  }

  // --- kiosk key -------------------------------------------------------------

  function injectedKey() {
    const meta = document.querySelector('meta[name="kiosk-key"]');
    const value = meta ? meta.getAttribute("content") : "";
    return value && value !== "__KIOSK_KEY__" ? value : null;
  }

  function loadKey() {
    return injectedKey() || window.localStorage.getItem(KEY_STORE);
  }

  // --- HTTP ------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, detail) { super(detail || String(status)); this.status = status; }
  }

  async function api(method, path, body) {
    let response;
    try {
      response = await fetch(API + path, {
        method,
        headers: Object.assign({ "X-Kiosk-Key": state.key || "" },
                               body ? { "Content-Type": "application/json" } : {}),
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new ApiError("network", err.message);
    }
    if (!response.ok) {
      let detail = "";
      try { detail = (await response.json()).detail; } catch (e) { /* not JSON */ }
      throw new ApiError(response.status, detail);
    }
    return response.json();
  }

  function errorText(err) {
    return ERROR_TEXT[err.status] || ERROR_TEXT.network;
  }

  function showError(el, text) {
    el.textContent = text || "";
    el.hidden = !text;
  }

  // --- screens ---------------------------------------------------------------

  function show(screen) {
    els.keyScreen.hidden = screen !== "key";
    els.startScreen.hidden = screen !== "start";
    els.chat.hidden = screen !== "chat";
    els.human.hidden = screen === "key";
    els.stop.hidden = screen !== "chat";
  }

  // --- rendering -------------------------------------------------------------

  function renderMessage(msg) {
    if (state.seen.has(msg.id)) return;
    state.seen.add(msg.id);
    state.lastId = msg.id;
    if (msg.event) {
      const label = EVENT_TEXT[msg.event];
      if (label) renderNote(label);
      return;
    }
    const item = document.createElement("li");
    item.className = "msg msg--" + msg.sender;
    item.dataset.id = msg.id;
    const who = document.createElement("span");
    who.className = "msg__who";
    who.textContent = SENDER_LABEL[msg.sender] || "";
    const text = document.createElement("span");
    text.className = "msg__text";
    text.textContent = msg.text;
    item.append(who, text);
    els.log.appendChild(item);
    if (msg.sender === "bot" || msg.sender === "counsellor" || msg.sender === "system") {
      state.lastBotButtons = msg.buttons || [];
      state.talkOver = msg.sender === "bot" && TALK_END.names.has(msg.utter_action);
    } else if (msg.sender === "client") {
      state.lastBotButtons = [];
      state.talkOver = false;
    }
  }

  function renderNote(text) {
    const item = document.createElement("li");
    item.className = "note";
    item.textContent = text;
    els.log.appendChild(item);
  }

  function renderMessages(messages) {
    (messages || []).forEach(renderMessage);
    els.log.scrollTop = els.log.scrollHeight;
    renderQuickReplies();
  }

  function renderQuickReplies() {
    const buttons = state.status === "bot" ? state.lastBotButtons : [];
    const shown = Array.from(els.quick.querySelectorAll("button"));
    const signature = JSON.stringify(buttons.map((b) => [b.title, b.payload]));
    // The same buttons again (a status update, the live feed): keep them, so a tap in that
    // moment is never lost on a button that was just replaced.
    if (signature === state.quickSignature && shown.length === buttons.length && !shown.some((b) => b.disabled)) return;
    state.quickSignature = signature;
    els.quick.replaceChildren();
    buttons.forEach((button) => {
      const el = document.createElement("button");
      el.type = "button";
      el.className = "button";
      el.textContent = button.title;
      el.addEventListener("click", () => sendText(button.payload, button.title));
      els.quick.appendChild(el);
    });
  }

  function renderStatus(update) {
    if (update.status) state.status = update.status;
    if (update.phase) state.phase = update.phase;
    if ("handoff" in update) state.handoff = update.handoff;
    const minutes = state.status === "waiting_for_human" && state.handoff && state.handoff.estimate_minutes;
    const text = minutes ? WAIT_TEXT(minutes) : STATUS_TEXT[state.status];
    els.banner.textContent = text || "";
    els.banner.hidden = !text;
    const crisis = state.handoff && state.handoff.reason === "crisis" && state.status !== "closed";
    els.crisis.hidden = !crisis;
    if (state.status === "closed") return forget(GOODBYE_TEXT.closed); // by a counsellor or the server
    els.human.disabled = state.status === "waiting_for_human" || state.status === "human";
    document.body.dataset.status = state.status || "";
    renderQuickReplies();
    armIdle();
  }

  function apply(update) {
    renderMessages(update.messages);
    renderStatus(update);
  }

  async function loadCrisisLines() {
    try {
      const response = await fetch("/kiosk/static/crisis-lines.json");
      const data = await response.json();
      els.crisisLines.replaceChildren();
      data.lines.forEach((line) => {
        const item = document.createElement("li");
        const number = document.createElement("span");
        number.className = "crisis-card__number";
        number.textContent = line.number;
        const nl = document.createElement("span");
        nl.textContent = line.nl;
        const en = document.createElement("span");
        en.lang = "en";
        en.className = "msg__who";
        en.textContent = line.en;
        item.append(number, nl, en);
        els.crisisLines.appendChild(item);
      });
    } catch (err) {
      // The crisis text itself also comes from the bot; the card is a second copy.
    }
  }

  // --- live updates: WebSocket first, polling when it fails ------------------

  // The key goes in the socket's first message, never in the URL (URLs end up in logs).
  function wsUrl() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${window.location.host}${API}/sessions/${state.sessionId}/ws`;
  }

  function connectLive() {
    stopLive();
    if (!state.sessionId || !("WebSocket" in window)) return startPolling();
    const sessionId = state.sessionId;
    let socket;
    try { socket = new WebSocket(wsUrl()); } catch (err) { return startPolling(); }
    state.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: "auth", key: state.key, after: state.lastId || null }));
      stopPolling();
    };
    socket.onmessage = (event) => {
      try { apply(JSON.parse(event.data)); } catch (err) { /* ignore a bad frame */ }
    };
    socket.onclose = (event) => {
      if (state.socket !== socket || state.sessionId !== sessionId) return;
      state.socket = null;
      if (event.code === 4404 || event.code === 4409) return forget(GOODBYE_TEXT.closed);
      if (state.status === "closed") return;
      startPolling();
      window.setTimeout(() => { if (state.sessionId === sessionId && !state.socket) connectLive(); }, WS_RETRY_MS);
    };
  }

  function stopLive() {
    if (state.socket) { const s = state.socket; state.socket = null; s.close(); }
    stopPolling();
  }

  function startPolling() {
    if (state.pollTimer) return;
    state.pollTimer = window.setInterval(poll, POLL_MS);
  }

  function stopPolling() {
    if (state.pollTimer) { window.clearInterval(state.pollTimer); state.pollTimer = null; }
  }

  async function poll() {
    if (!state.sessionId) return;
    const query = state.lastId ? `?after=${encodeURIComponent(state.lastId)}` : "";
    try {
      apply(await api("GET", `/sessions/${state.sessionId}/messages${query}`));
    } catch (err) {
      if (err.status === 404 || err.status === 409) forget(GOODBYE_TEXT.closed);
    }
  }

  // --- actions ---------------------------------------------------------------

  // Back to a fresh welcome: no word, id or typed text of the talk stays in the page.
  function forget(notice) {
    stopLive();
    stopIdle();
    Object.assign(state, { sessionId: null, lastId: null, status: null, phase: null, handoff: null, lastBotButtons: [],
      savedNoted: false, talkOver: false });
    state.seen.clear();
    els.log.replaceChildren();
    els.quick.replaceChildren();
    els.input.value = "";
    els.codeInput.value = "";
    els.codeForm.hidden = true;
    els.codeOpen.hidden = false;
    els.stopConfirm.hidden = true;
    showError(els.sendError, "");
    showError(els.startError, "");
    renderStatus({ status: null, handoff: null });
    show("start");
    showNotice(notice);
  }

  function showNotice(text) {
    window.clearTimeout(state.noticeTimer);
    els.startNotice.textContent = text || "";
    els.startNotice.hidden = !text;
    if (text) state.noticeTimer = window.setTimeout(() => showNotice(""), NOTICE_MS);
  }

  // The client leaves ("Stoppen"), or nobody answered "Bent u er nog?": the screen clears at
  // once, then the server closes the talk (it refuses every later read or write from here).
  async function endSession(reason) {
    const sessionId = state.sessionId;
    forget(reason === "kiosk_idle" ? GOODBYE_TEXT.idle : GOODBYE_TEXT.ended);
    if (!sessionId) return;
    try {
      await api("POST", `/sessions/${sessionId}/end`, { reason });
    } catch (err) {
      // Closed already, or no connection: the server closes sessions left idle itself.
    }
  }

  // --- inactivity: "Bent u er nog?", then clear ------------------------------
  // Only while the coach talks: when a counsellor is coming or talking, they decide.

  function armIdle() {
    stopIdle();
    if (!state.sessionId || state.status !== "bot") return;
    if (state.talkOver) {
      // The bot said goodbye: the screen clears soon, without asking; a tap or a word goes on.
      state.idleTimer = window.setTimeout(() => endSession("ended_by_client"), TALK_END.seconds * 1000);
      return;
    }
    state.idleTimer = window.setTimeout(askIfStillThere, IDLE.warn * 1000);
  }

  function askIfStillThere() {
    els.idleCheck.hidden = false;
    els.idleYes.focus();
    state.idleClearTimer = window.setTimeout(() => endSession("kiosk_idle"), IDLE.clear * 1000);
  }

  function stopIdle() {
    window.clearTimeout(state.idleTimer);
    window.clearTimeout(state.idleClearTimer);
    state.idleTimer = state.idleClearTimer = null;
    els.idleCheck.hidden = true;
  }

  async function startSession(resumeCode) {
    els.startButton.disabled = true;
    showError(els.startError, "");
    showNotice("");
    const body = { language: "nl" };
    if (typeof resumeCode === "string" && resumeCode.trim()) body.resume_code = resumeCode.trim();
    try {
      const data = await api("POST", "/sessions", body);
      state.sessionId = data.session_id;
      els.codeInput.value = "";
      show("chat");
      apply(data);
      connectLive();
      els.input.focus();
      return true;
    } catch (err) {
      if (err.status === 401) return askForKey(errorText(err));
      showError(els.startError, (body.resume_code && CODE_ERROR_TEXT[err.status]) || errorText(err));
      return false;
    } finally {
      els.startButton.disabled = false;
    }
  }

  async function sendText(text, title) {
    if (state.busy || !state.sessionId) return;
    state.busy = true;
    els.send.disabled = true;
    els.quick.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    showError(els.sendError, "");
    try {
      const body = title ? { text, title } : { text };
      const waitingBefore = state.status === "waiting_for_human";
      apply(await api("POST", `/sessions/${state.sessionId}/messages`, body));
      if (waitingBefore && state.status === "waiting_for_human" && !state.savedNoted) {
        state.savedNoted = true;
        renderNote(SAVED_WHILE_WAITING_TEXT);
      }
      if (!title) els.input.value = "";
    } catch (err) {
      // The typed text stays in the box so nothing is lost.
      showError(els.sendError, errorText(err));
      if (err.status === 409 || err.status === 404) forget(GOODBYE_TEXT.closed);
    } finally {
      state.busy = false;
      els.send.disabled = false;
      renderQuickReplies();
    }
  }

  async function askForHuman() {
    if (!state.sessionId) {
      const started = await startSession();
      if (!started) return;
    }
    await sendText(REQUEST_HUMAN.payload, REQUEST_HUMAN.title);
  }

  function askForKey(message) {
    window.localStorage.removeItem(KEY_STORE);
    state.key = null;
    show("key");
    showError(els.keyError, message || "");
    els.keyInput.focus();
  }

  // --- wiring ----------------------------------------------------------------

  els.keyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = els.keyInput.value.trim();
    if (!key) return;
    window.localStorage.setItem(KEY_STORE, key);
    state.key = key;
    els.keyInput.value = "";
    showError(els.keyError, "");
    show("start");
  });
  els.startButton.addEventListener("click", () => startSession());
  els.codeOpen.addEventListener("click", () => {
    els.codeOpen.hidden = true;
    els.codeForm.hidden = false;
    els.codeInput.focus();
  });
  els.codeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (els.codeInput.value.trim()) startSession(els.codeInput.value);
  });
  els.stop.addEventListener("click", () => {
    els.stopConfirm.hidden = false;
    els.stopYes.focus();
  });
  els.stopNo.addEventListener("click", () => { els.stopConfirm.hidden = true; });
  els.stopYes.addEventListener("click", () => endSession("ended_by_client"));
  els.idleYes.addEventListener("click", armIdle);
  // Any tap or key is a sign of life: the inactivity clock starts again.
  ["pointerdown", "keydown", "input"].forEach((type) => document.addEventListener(type, () => {
    if (state.sessionId) armIdle();
  }, true));
  els.human.textContent = REQUEST_HUMAN.title;
  els.human.addEventListener("click", askForHuman);
  els.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = els.input.value;
    if (!text.trim()) return showError(els.sendError, ERROR_TEXT[422]);
    sendText(text);
  });
  els.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      els.composer.requestSubmit();
    }
  });

  loadCrisisLines();
  window.sessionStorage.removeItem(OLD_SESSION_STORE);
  window.localStorage.removeItem(OLD_SESSION_STORE);
  state.key = loadKey();
  show(state.key ? "start" : "key");
})();
