// Staff console shell: sign-in, role-filtered navigation, hash router, API and
// live-feed helpers. Text from the server only ever reaches the page as text.
//
// For modules (one file each, one <script> line in index.html):
//   Console.register("/sessions/:id", {title, roles: ["counsellor", "admin"], nav: false,
//                    home: false, order: 10, render: async (el, params) => cleanup?})
//     render fills `el`; a returned function (or Console.onLeave(fn)) runs when the page is left.
//   Console.api(path, {method, body, form, accept}) → JSON (text for non-JSON) from /api/v1;
//     throws Console.ApiError (message = server's detail, .status); signs out on 401.
//   Console.user {id, username, role} · Console.navigate("/queue") · Console.toast(text, "info|success|error")
//   Console.el(tag, {class, text, onclick, dataset, disabled, ...}, ...children)
//   Console.on("session"|"feed"|"login"|"logout"|"gesture", fn) → unsubscribe; "session" carries the
//     staff WebSocket's {type, session: SessionSummary, alert}; Console.feedConnected tells if it is up.
//   Console.label("status"|"phase"|"reason"|"sender", value) → Dutch label; Console.formatTime(iso);
//   Console.hasRoute("/plan/:id"); Console.badge("/queue", n).
"use strict";

(function () {
  const API = "/api/v1";
  const TOKEN_STORE = "toekomstcoach.console.token";
  const FEED_RETRY_MS = [1000, 2000, 5000, 10000];

  const routes = [];            // {pattern, parts, title, roles, nav, home, render}
  const listeners = {};         // event type → Set(fn)
  const badges = {};            // route pattern → count
  let token = window.sessionStorage.getItem(TOKEN_STORE);
  let currentLeave = [];        // cleanup functions of the page on screen
  let generation = 0;           // bumps on every navigation; late renders clean up at once
  let feed = null;
  let feedRetry = 0;
  let feedTimer = null;

  const $ = (id) => document.getElementById(id);

  // --- DOM helper ------------------------------------------------------------

  /** el("button", {class: "btn", onclick: fn, disabled: true}, "Tekst", otherNode) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else if (name === "class") node.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else if (name in node && ["value", "checked", "selected", "disabled", "hidden"].includes(name)) node[name] = value;
      else node.setAttribute(name, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else if (child instanceof Node) node.appendChild(child);
      else node.appendChild(document.createTextNode(String(child)));
    }
  }

  // --- API -------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail || `HTTP ${status}`);
      this.status = status;
    }
  }

  /** Console.api("/staff/sessions", {method, body, form, accept}) → parsed JSON (or text). */
  async function api(path, options = {}) {
    const headers = { Accept: options.accept || "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    let body;
    if (options.form) {
      body = options.form instanceof URLSearchParams ? options.form : new URLSearchParams(options.form);
    } else if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    let response;
    try {
      response = await fetch(API + path, { method: options.method || (body ? "POST" : "GET"), headers, body });
    } catch (err) {
      throw new ApiError(0, "Geen verbinding met de server. Probeer het opnieuw.");
    }
    const type = response.headers.get("content-type") || "";
    const data = type.includes("application/json") ? await response.json().catch(() => null) : await response.text();
    if (!response.ok) {
      const detail = data && typeof data === "object" && data.detail ? String(data.detail) : `HTTP ${response.status}`;
      if (response.status === 401 && token && !options.noLogout) logout("Uw sessie is verlopen. Log opnieuw in.");
      throw new ApiError(response.status, detail);
    }
    return data;
  }

  // --- live feed (staff WebSocket) --------------------------------------------

  function on(type, fn) {
    (listeners[type] = listeners[type] || new Set()).add(fn);
    return () => listeners[type].delete(fn);
  }

  function emit(type, payload) {
    for (const fn of Array.from(listeners[type] || [])) {
      try { fn(payload); } catch (err) { console.error(err); }
    }
  }

  function feedUrl() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    // The token goes in the socket's first message, never in the URL (URLs end up in logs).
    return `${scheme}//${window.location.host}${API}/staff/ws`;
  }

  function setFeedState(connected) {
    Console.feedConnected = connected;
    const dot = $("shell-feed");
    dot.classList.toggle("feed-dot--on", connected);
    dot.title = connected ? "Live verbinding" : "Geen live verbinding: de pagina's vernieuwen zelf";
    emit("feed", { connected });
  }

  function openFeed() {
    closeFeed();
    if (!token || typeof window.WebSocket !== "function") { setFeedState(false); return; }
    let socket;
    try { socket = new WebSocket(feedUrl()); } catch (err) { setFeedState(false); return; }
    feed = socket;
    // The token goes in the first message; the feed is live once the server says "ready".
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token }));
    socket.onmessage = (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch (err) { return; }
      if (data.type === "ready") { feedRetry = 0; setFeedState(true); return; }
      if (data.type === "session" && data.session) emit("session", data);
    };
    socket.onclose = (event) => {
      if (feed !== socket) return;
      feed = null;
      setFeedState(false);
      if (event.code === 4401) { logout("Uw sessie is verlopen. Log opnieuw in."); return; }
      if (!token) return;
      const wait = FEED_RETRY_MS[Math.min(feedRetry++, FEED_RETRY_MS.length - 1)];
      feedTimer = window.setTimeout(openFeed, wait);
    };
  }

  function closeFeed() {
    window.clearTimeout(feedTimer);
    if (feed) { const old = feed; feed = null; old.close(); }
  }

  // --- toasts ----------------------------------------------------------------

  function toast(text, kind = "info") {
    const item = el("div", { class: `toast toast--${kind}`, role: kind === "error" ? "alert" : "status", text });
    $("toasts").appendChild(item);
    window.setTimeout(() => item.remove(), kind === "error" ? 8000 : 4000);
    return item;
  }

  // --- routes ----------------------------------------------------------------

  function normalise(route) {
    return "/" + String(route).replace(/^#?\/*/, "").replace(/\/+$/, "");
  }

  function register(route, options) {
    const pattern = normalise(route);
    const entry = {
      pattern, parts: pattern.split("/").slice(1), title: options.title || pattern,
      roles: options.roles || null, nav: Boolean(options.nav), home: Boolean(options.home),
      order: options.order === undefined ? routes.length : options.order, render: options.render,
    };
    const existing = routes.findIndex((r) => r.pattern === pattern);
    if (existing >= 0) routes.splice(existing, 1, entry); else routes.push(entry);
    if (Console.user) { renderNav(); if (matchRoute(currentPath())) showRoute(); }
  }

  function allowed(entry) {
    return Boolean(Console.user) && (!entry.roles || entry.roles.includes(Console.user.role));
  }

  function hasRoute(route) {
    const entry = routes.find((r) => r.pattern === normalise(route));
    return Boolean(entry && allowed(entry));
  }

  function matchRoute(path) {
    const parts = path.split("/").slice(1);
    for (const entry of routes) {
      if (entry.parts.length !== parts.length) continue;
      const params = {};
      const ok = entry.parts.every((part, i) => {
        if (part.startsWith(":")) {
          try { params[part.slice(1)] = decodeURIComponent(parts[i]); } catch (err) { return false; }
          return parts[i] !== "";
        }
        return part === parts[i];
      });
      if (ok) return { entry, params };
    }
    return null;
  }

  function homePath() {
    const visible = routes.filter(allowed).sort((a, b) => a.order - b.order);
    const home = visible.find((r) => r.home) || visible.find((r) => r.nav && !r.pattern.includes(":"));
    return home ? home.pattern : null;
  }

  function currentPath() {
    return normalise(window.location.hash || "#/");
  }

  function navigate(hash) {
    const target = "#" + normalise(hash);
    if (window.location.hash === target) showRoute(); else window.location.hash = target;
  }

  function onLeave(fn) {
    currentLeave.push(fn);
  }

  function leavePage() {
    const cleanups = currentLeave;
    currentLeave = [];
    for (const fn of cleanups) { try { fn(); } catch (err) { console.error(err); } }
  }

  async function showRoute() {
    if (!Console.user) return;
    const path = currentPath();
    if (path === "/") {
      const home = homePath();
      if (home) { window.location.replace("#" + home); return; }
    }
    leavePage();
    const myGeneration = ++generation;
    const view = $("view");
    view.replaceChildren();
    const page = el("div", { class: "page" });
    view.appendChild(page);
    const match = matchRoute(path);
    renderNav(match && match.entry);
    if (!match) {
      document.title = "Niet gevonden · Toekomstcoach";
      page.appendChild(notice("Deze pagina bestaat niet.", "Kies een onderdeel in het menu."));
      return;
    }
    if (!allowed(match.entry)) {
      document.title = "Geen toegang · Toekomstcoach";
      page.appendChild(notice("Geen toegang", `Uw rol (${roleLabel(Console.user.role)}) mag deze pagina niet openen.`));
      return;
    }
    document.title = `${match.entry.title} · Toekomstcoach`;
    page.dataset.route = match.entry.pattern;
    try {
      const cleanup = await match.entry.render(page, match.params);
      if (typeof cleanup === "function") {
        if (myGeneration === generation) onLeave(cleanup); else cleanup();
      }
    } catch (err) {
      if (myGeneration !== generation) return;
      console.error(err);
      page.appendChild(notice("Er ging iets mis bij het laden.", err.message || String(err), "error"));
    }
    if (myGeneration !== generation) {
      // The user moved on while this page loaded: run what it registered.
      leavePage();
    }
  }

  function notice(title, text, kind = "info") {
    return el("div", { class: `notice notice--${kind}` }, el("h2", { text: title }), el("p", { text }));
  }

  function renderNav(active) {
    const nav = $("shell-nav");
    nav.replaceChildren();
    const activeEntry = active === undefined ? (matchRoute(currentPath()) || {}).entry : active;
    routes.filter((r) => r.nav && allowed(r)).sort((a, b) => a.order - b.order).forEach((entry) => {
      const link = el("a", { href: "#" + entry.pattern, class: "shell-nav__link", dataset: { route: entry.pattern } },
        entry.title);
      if (badges[entry.pattern]) link.appendChild(el("span", { class: "badge", text: badges[entry.pattern] }));
      if (entry === activeEntry) link.setAttribute("aria-current", "page");
      nav.appendChild(link);
    });
  }

  /** Show a count next to a nav entry (0 hides it). */
  function badge(route, count) {
    badges[normalise(route)] = count > 0 ? count : 0;
    if (Console.user) renderNav();
  }

  // --- sign-in -----------------------------------------------------------------

  const ROLE_LABEL = { counsellor: "begeleider", trainer: "trainer", admin: "beheerder" };
  function roleLabel(role) { return ROLE_LABEL[role] || role; }

  function showLogin(message) {
    $("shell-bar").hidden = true;
    $("view").hidden = true;
    $("login-screen").hidden = false;
    const error = $("login-error");
    error.textContent = message || "";
    error.hidden = !message;
    $("login-username").focus();
  }

  async function startSignedIn() {
    const me = await api("/auth/me");
    Console.user = { id: me.id, username: me.username, role: me.role };
    $("shell-user").textContent = `${me.username} · ${roleLabel(me.role)}`;
    $("login-screen").hidden = true;
    $("shell-bar").hidden = false;
    $("view").hidden = false;
    openFeed();
    emit("login", Console.user);
    renderNav();
    showRoute();
  }

  async function login(event) {
    event.preventDefault();
    const button = $("login-button");
    button.disabled = true;
    emit("gesture", null);
    try {
      const data = await api("/auth/token", {
        form: { username: $("login-username").value, password: $("login-password").value }, noLogout: true,
      });
      token = data.access_token;
      window.sessionStorage.setItem(TOKEN_STORE, token);
      $("login-password").value = "";
      await startSignedIn();
    } catch (err) {
      token = null;
      window.sessionStorage.removeItem(TOKEN_STORE);
      showLogin(err.status === 401 ? "Gebruikersnaam of wachtwoord klopt niet." : err.message);
    } finally {
      button.disabled = false;
    }
  }

  function logout(message) {
    const wasSignedIn = Boolean(Console.user);
    // A chosen sign-out (no message) also revokes the token on the server, so a copy of it stops working.
    if (token && !message) {
      fetch(API + "/auth/logout", { method: "POST", headers: { Authorization: "Bearer " + token }, keepalive: true })
        .catch(() => {});
    }
    token = null;
    window.sessionStorage.removeItem(TOKEN_STORE);
    closeFeed();
    leavePage();
    generation++;
    Console.user = null;
    $("view").replaceChildren();
    if (wasSignedIn) emit("logout", null);
    showLogin(message);
  }

  // --- small shared formatting -------------------------------------------------

  const LABELS = {
    status: { bot: "Met de coach", waiting_for_human: "Wacht op begeleider", human: "Met begeleider", closed: "Afgesloten" },
    phase: { verkennen: "Verkennen", kiezen: "Kiezen", verkrijgen: "Verkrijgen", afgerond: "Afgerond" },
    reason: { crisis: "Crisis", emotion: "Emotie", uncertain: "Onzeker / niet begrepen", request: "Wil een mens" },
    sender: { client: "Cliënt", bot: "Coach", counsellor: "Begeleider", system: "Systeem" },
  };

  function label(kind, value) {
    return (LABELS[kind] && LABELS[kind][value]) || value || "—";
  }

  function formatTime(iso) {
    if (!iso) return "—";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    const sameDay = date.toDateString() === new Date().toDateString();
    return sameDay
      ? date.toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit" })
      : date.toLocaleString("nl-NL", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  function formatWait(iso) {
    const since = new Date(iso).getTime();
    if (Number.isNaN(since)) return "—";
    const minutes = Math.max(0, Math.floor((Date.now() - since) / 60000));
    if (minutes < 1) return "net";
    if (minutes < 60) return `${minutes} min`;
    return `${Math.floor(minutes / 60)} u ${minutes % 60} min`;
  }

  const Console = {
    user: null,
    feedConnected: false,
    register, navigate, api, el, toast, on, onLeave, hasRoute, badge, label, formatTime, formatWait,
    logout: () => logout(),
    ApiError,
    get token() { return token; },
  };
  window.Console = Console;

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", login);
    $("logout-button").addEventListener("click", () => logout());
    // Any click counts as the user gesture browsers want before they play sound.
    document.addEventListener("pointerdown", () => emit("gesture", null), { capture: true });
    window.addEventListener("hashchange", showRoute);
    if (!token) { showLogin(); return; }
    startSignedIn().catch((err) => {
      if (token) logout(err.status === 401 ? "Uw sessie is verlopen. Log opnieuw in." : err.message);
    });
  });
})();
