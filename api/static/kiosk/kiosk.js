// Kiosk client: one conversation at a time, talking only to the API.
// Every text from the server is rendered with textContent (never innerHTML).
"use strict";

(function () {
  const API = "/api/v1";
  const KEY_STORE = "toekomstcoach.kioskKey";
  const SESSION_STORE = "toekomstcoach.sessionId"; // per tab: a reload continues the talk
  const REQUEST_HUMAN = { title: "Ik wil met een mens praten", payload: "/request_human" };
  const POLL_MS = 2500;
  const WS_RETRY_MS = 5000;

  const STATUS_TEXT = {
    waiting_for_human: "Er komt een begeleider naar u toe.",
    human: "U praat nu met een begeleider.",
    closed: "Het gesprek is afgesloten. Dank u wel.",
  };
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
    human: $("human-button"), newButton: $("new-button"),
  };

  const state = {
    key: null, sessionId: null, lastId: null, status: null, phase: null, handoff: null,
    seen: new Set(), socket: null, pollTimer: null, busy: false, lastBotButtons: [],
  };

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
    } else if (msg.sender === "client") {
      state.lastBotButtons = [];
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
    els.quick.replaceChildren();
    if (state.status !== "bot") return;
    state.lastBotButtons.forEach((button) => {
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
    const text = STATUS_TEXT[state.status];
    els.banner.textContent = text || "";
    els.banner.hidden = !text;
    const crisis = state.handoff && state.handoff.reason === "crisis" && state.status !== "closed";
    els.crisis.hidden = !crisis;
    const closed = state.status === "closed";
    if (closed) stopLive(); // nothing more will happen in this session
    els.composer.hidden = closed;
    els.human.disabled = closed || state.status === "waiting_for_human" || state.status === "human";
    els.newButton.hidden = !closed;
    document.body.dataset.status = state.status || "";
    renderQuickReplies();
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
    socket.onclose = () => {
      if (state.socket !== socket || state.sessionId !== sessionId) return;
      state.socket = null;
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
      if (err.status === 404) resetSession();
    }
  }

  // --- actions ---------------------------------------------------------------

  function resetSession() {
    stopLive();
    window.sessionStorage.removeItem(SESSION_STORE);
    Object.assign(state, { sessionId: null, lastId: null, status: null, phase: null, handoff: null, lastBotButtons: [] });
    state.seen.clear();
    els.log.replaceChildren();
    els.quick.replaceChildren();
    renderStatus({ status: null, handoff: null });
    show("start");
  }

  async function startSession() {
    els.startButton.disabled = true;
    showError(els.startError, "");
    try {
      const data = await api("POST", "/sessions", { language: "nl" });
      state.sessionId = data.session_id;
      window.sessionStorage.setItem(SESSION_STORE, data.session_id);
      show("chat");
      apply(data);
      connectLive();
      els.input.focus();
      return true;
    } catch (err) {
      if (err.status === 401) return askForKey(errorText(err));
      showError(els.startError, errorText(err));
      return false;
    } finally {
      els.startButton.disabled = false;
    }
  }

  async function resumeSession(sessionId) {
    state.sessionId = sessionId;
    try {
      const data = await api("GET", `/sessions/${sessionId}/messages`);
      if (data.status === "closed") return resetSession();
      show("chat");
      apply(data);
      connectLive();
    } catch (err) {
      if (err.status === 401) return askForKey(errorText(err));
      resetSession();
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
      apply(await api("POST", `/sessions/${state.sessionId}/messages`, body));
      if (!title) els.input.value = "";
    } catch (err) {
      // The typed text stays in the box so nothing is lost.
      showError(els.sendError, errorText(err));
      if (err.status === 409) poll();
      if (err.status === 404) resetSession();
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
  els.startButton.addEventListener("click", startSession);
  els.newButton.addEventListener("click", resetSession);
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
  state.key = loadKey();
  if (!state.key) {
    show("key");
  } else {
    const saved = window.sessionStorage.getItem(SESSION_STORE);
    if (saved) resumeSession(saved); else show("start");
  }
})();
