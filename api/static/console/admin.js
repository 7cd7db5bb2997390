// Admin pages: staff accounts (#/admin/accounts), the audit log (#/admin/audit) and a
// client's data on request plus the retention period (#/admin/privacy). Admins only;
// the server checks the role again on every call.
"use strict";

(function () {
  const C = window.Console;
  const API = "/api/v1";
  const ADMIN = ["admin"];
  const PAGE_SIZE = 50;
  const MIN_PASSWORD = 8;
  const ROLE_LABEL = { counsellor: "begeleider", trainer: "trainer", admin: "beheerder" };
  const ACTION_LABEL = {
    "auth.signed_in": "ingelogd", "auth.signed_out": "uitgelogd", "auth.failed": "inloggen mislukt",
    "read.session": "transcript gelezen", "read.session_list": "gesprekkenlijst bekeken", "read.search": "gezocht in gesprekken",
    "read.plan": "actieplan gelezen", "read.plan_history": "wijzigingen van plan gelezen",
    "read.plan_links": "plan-koppelingen gelezen", "read.plan_print": "plan afgedrukt (HTML/PDF)",
    "plan.replaced": "plan gewijzigd", "plan.corrected": "plan gecorrigeerd", "plan.approved": "plan goedgekeurd",
    "plan.approval_withdrawn": "goedkeuring ingetrokken",
    "session.created": "gesprek gestart", "session.handoff_requested": "doorverwezen naar begeleider",
    "session.handoff_escalated": "doorverwijzing opgeschaald", "session.takeover": "gesprek overgenomen",
    "session.handback": "teruggegeven aan coach", "session.closed": "gesprek afgesloten",
    "session.counsellor_message": "bericht van begeleider",
    "user.created": "account aangemaakt", "user.disabled": "account uitgeschakeld", "user.enabled": "account ingeschakeld",
    "user.password_reset": "wachtwoord opnieuw ingesteld", "user.role_changed": "rol gewijzigd",
    "client.exported": "cliëntgegevens geëxporteerd", "client.deleted": "cliëntgegevens verwijderd",
    "retention.run": "bewaartermijn toegepast", "training.wiped": "oefensessies gewist",
    "scenario.saved": "scenario opgeslagen", "scenario.deleted": "scenario verwijderd", "scenario.run": "scenario afgespeeld",
    "kiosk_key.created": "kiosksleutel gemaakt", "kiosk_key.revoked": "kiosksleutel ingetrokken",
    "kiosk_key.ensured": "kiosksleutel vastgelegd",
  };
  const ACTION_GROUPS = [
    ["", "alle acties"], ["read.", "alles wat gelezen is"], ["plan.", "wijzigingen van plannen"],
    ["session.", "gesprekken (overnemen, afsluiten …)"], ["user.", "accounts"], ["auth.", "in- en uitloggen"],
    ["client.", "export en verwijderen van cliënten"], ["retention.", "bewaartermijn"],
  ];

  const el = (...args) => C.el(...args);

  function pad(n) { return String(n).padStart(2, "0"); }

  function formatDateTime(value) {
    if (!value) return "—";
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return String(value);
    return `${pad(date.getDate())}-${pad(date.getMonth() + 1)}-${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }

  /** GET with the staff token, giving the response too (for headers and files). */
  async function fetchRaw(path, options = {}) {
    let response;
    try {
      response = await fetch(API + path, { ...options, headers: { Authorization: "Bearer " + C.token, ...(options.headers || {}) } });
    } catch (err) {
      throw new C.ApiError(0, "Geen verbinding met de server. Probeer het opnieuw.");
    }
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      if (response.status === 401) C.logout();
      throw new C.ApiError(response.status, (data && data.detail) || `HTTP ${response.status}`);
    }
    return response;
  }

  function result(node, text, kind) {
    node.replaceChildren(el("div", { class: `notice notice--${kind}` }, el("p", { text })));
  }

  // --- accounts ----------------------------------------------------------------------

  async function renderAccounts(page) {
    const list = el("div", { id: "adm-users" });
    const form = el("form", { class: "card adm-form", id: "adm-new-user" },
      el("h2", { text: "Nieuw account" }),
      el("label", { for: "adm-new-name", text: "Gebruikersnaam" }),
      el("input", { id: "adm-new-name", autocomplete: "off", required: true, maxlength: 64, placeholder: "bijv. s.dekker" }),
      el("label", { for: "adm-new-role", text: "Rol" }),
      el("select", { id: "adm-new-role" }, Object.entries(ROLE_LABEL).map(([value, label]) => el("option", { value, text: label }))),
      el("label", { for: "adm-new-password", text: `Eerste wachtwoord (minstens ${MIN_PASSWORD} tekens)` }),
      el("input", { id: "adm-new-password", type: "password", autocomplete: "new-password", required: true,
        minlength: MIN_PASSWORD, maxlength: 200 }),
      el("p", { class: "muted", text: "Geef het wachtwoord persoonlijk door. Wie het vergeet, krijgt hier een nieuw wachtwoord." }),
      el("p", { class: "error", id: "adm-new-error", role: "alert", hidden: true }),
      el("button", { class: "btn btn--primary", type: "submit" }, "Account aanmaken"));
    page.append(
      el("h1", { text: "Accounts" }),
      el("p", { class: "muted", text: "Begeleiders, trainers en beheerders. Uitschakelen, een nieuw wachtwoord of een andere rol " +
        "werkt meteen: de persoon moet opnieuw inloggen." }),
      el("div", { class: "adm-grid" }, list, form));

    async function load() {
      const users = await C.api("/admin/users");
      const rows = users.map((user) => userRow(user));
      list.replaceChildren(el("table", { class: "rec-table", id: "adm-user-table" },
        el("thead", {}, el("tr", {}, ["Naam", "Rol", "Status", "Laatst ingelogd", "Acties"].map((t) => el("th", { scope: "col", text: t })))),
        el("tbody", {}, rows)));
    }

    function userRow(user) {
      const self = C.user && user.id === C.user.id;
      const roleSelect = el("select", { "aria-label": `Rol van ${user.username}` },
        Object.entries(ROLE_LABEL).map(([value, label]) => el("option", { value, selected: value === user.role, text: label })));
      const password = el("input", { type: "password", autocomplete: "new-password", placeholder: "nieuw wachtwoord",
        "aria-label": `Nieuw wachtwoord voor ${user.username}`, minlength: MIN_PASSWORD });
      const passwordBox = el("form", { class: "adm-inline", hidden: true }, password,
        el("button", { class: "btn btn--small btn--primary", type: "submit" }, "Opslaan"),
        el("button", { class: "btn btn--small btn--quiet", type: "button", onclick: () => { passwordBox.hidden = true; } }, "Annuleren"));
      passwordBox.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (password.value.length < MIN_PASSWORD) { C.toast(`Het wachtwoord moet minstens ${MIN_PASSWORD} tekens hebben.`, "error"); return; }
        await step(`/admin/users/${user.id}/password`, { password: password.value },
          `${user.username} heeft een nieuw wachtwoord. Geef het persoonlijk door.`);
      });
      return el("tr", { class: user.disabled ? "adm-disabled" : "", dataset: { user: user.username } },
        el("td", {}, el("strong", { text: user.username }), self ? el("span", { class: "muted", text: " (u)" }) : null),
        el("td", { text: ROLE_LABEL[user.role] || user.role }),
        el("td", {}, el("span", { class: user.disabled ? "tag tag--closed" : "tag tag--bot", text: user.disabled ? "uitgeschakeld" : "actief" })),
        el("td", { text: formatDateTime(user.last_login_at) }),
        el("td", {},
          el("div", { class: "adm-actions" },
            roleSelect,
            el("button", { class: "btn btn--small", type: "button", onclick: () => roleSelect.value !== user.role &&
              step(`/admin/users/${user.id}/role`, { role: roleSelect.value },
                `${user.username} is nu ${ROLE_LABEL[roleSelect.value]}.`) }, "Rol wijzigen"),
            user.disabled
              ? el("button", { class: "btn btn--small", type: "button", onclick: () => step(`/admin/users/${user.id}/enable`, undefined,
                `${user.username} kan weer inloggen.`) }, "Inschakelen")
              : el("button", { class: "btn btn--small btn--danger", type: "button", onclick: () => step(`/admin/users/${user.id}/disable`, undefined,
                `${user.username} is uitgeschakeld en meteen uitgelogd.`) }, "Uitschakelen"),
            el("button", { class: "btn btn--small btn--quiet", type: "button",
              onclick: () => { passwordBox.hidden = false; password.focus(); } }, "Nieuw wachtwoord")),
          passwordBox));
    }

    async function step(path, body, done) {
      try {
        await C.api(path, { method: "POST", body });
        C.toast(done, "success");
      } catch (err) {
        C.toast(err.status === 409 ? `Niet gedaan: ${err.message}` : `Dat lukte niet: ${err.message}`, "error");
      }
      await load();
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = document.getElementById("adm-new-error");
      const body = { username: document.getElementById("adm-new-name").value.trim(),
        role: document.getElementById("adm-new-role").value, password: document.getElementById("adm-new-password").value };
      try {
        await C.api("/admin/users", { method: "POST", body });
      } catch (err) {
        error.textContent = `Niet aangemaakt: ${err.message}`;
        error.hidden = false;
        return;
      }
      error.hidden = true;
      form.reset();
      C.toast(`Account ${body.username} aangemaakt.`, "success");
      await load();
    });
    await load();
  }

  // --- audit log ---------------------------------------------------------------------------

  async function renderAudit(page) {
    let offset = 0;
    const form = el("form", { class: "card rec-filters", id: "adm-audit-filters", role: "search" },
      el("div", { class: "rec-filter" }, el("label", { for: "adm-a-user", text: "Wie (gebruikersnaam)" }),
        el("input", { id: "adm-a-user", maxlength: 64 })),
      el("div", { class: "rec-filter" }, el("label", { for: "adm-a-action", text: "Wat" }),
        el("select", { id: "adm-a-action" }, ACTION_GROUPS.map(([value, label]) => el("option", { value, text: label })))),
      el("div", { class: "rec-filter" }, el("label", { for: "adm-a-object", text: "Gesprek-id of ander object" }),
        el("input", { id: "adm-a-object", maxlength: 64 })),
      el("div", { class: "rec-filter" }, el("label", { for: "adm-a-from", text: "Vanaf" }), el("input", { id: "adm-a-from", type: "date" })),
      el("div", { class: "rec-filter" }, el("label", { for: "adm-a-to", text: "Tot en met" }), el("input", { id: "adm-a-to", type: "date" })),
      el("div", { class: "rec-filters__buttons" }, el("button", { class: "btn btn--primary", type: "submit" }, "Zoeken")));
    const count = el("p", { class: "muted", "aria-live": "polite" });
    const table = el("div", { id: "adm-audit" });
    const pager = el("nav", { class: "rec-pager", "aria-label": "Pagina's" });
    page.append(el("h1", { text: "Auditlog" }),
      el("p", { class: "muted", text: "Wie heeft wat gelezen of veranderd, en wanneer. Elke opening van een transcript of actieplan " +
        "door een medewerker staat hier; namen van cliënten niet (alleen gesprek-id's)." }),
      form, count, table, pager);

    function detailText(event) {
      if (!event.detail) return "";
      return Object.entries(event.detail).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(" · ");
    }

    async function search() {
      const params = new URLSearchParams({ offset: String(offset), limit: String(PAGE_SIZE) });
      const pairs = [["username", "adm-a-user"], ["action", "adm-a-action"], ["object_id", "adm-a-object"], ["from", "adm-a-from"], ["to", "adm-a-to"]];
      for (const [key, id] of pairs) { const v = document.getElementById(id).value.trim(); if (v) params.set(key, v); }
      let rows;
      let total;
      try {
        const response = await fetchRaw(`/admin/audit?${params}`, { headers: { Accept: "application/json" } });
        rows = await response.json();
        total = Number(response.headers.get("X-Total-Count") || rows.length);
      } catch (err) {
        result(table, `Zoeken lukte niet: ${err.message}`, "error");
        return;
      }
      count.textContent = total ? `${total} regels; u ziet ${offset + 1}–${offset + rows.length}.` : "Geen regels gevonden.";
      table.replaceChildren(el("table", { class: "rec-table", id: "adm-audit-table" },
        el("thead", {}, el("tr", {}, ["Wanneer", "Wie", "Wat", "Object", "Details"].map((t) => el("th", { scope: "col", text: t })))),
        el("tbody", {}, rows.map((event) => el("tr", { class: "adm-audit-row", dataset: { action: event.action } },
          el("td", { text: formatDateTime(event.at) }),
          el("td", { text: event.user || "—" }),
          el("td", { title: event.action, text: ACTION_LABEL[event.action] || event.action }),
          el("td", {}, event.object_type === "session" && event.object_id && C.hasRoute("/sessions/:id")
            ? el("a", { href: `#/sessions/${event.object_id}`, text: `gesprek ${event.object_id.slice(0, 8)}` })
            : `${event.object_type}${event.object_id ? " " + event.object_id : ""}`),
          el("td", { class: "adm-detail", text: detailText(event) }))))));
      pager.replaceChildren(
        el("button", { class: "btn", type: "button", disabled: offset === 0,
          onclick: () => { offset = Math.max(0, offset - PAGE_SIZE); search(); } }, "← Nieuwer"),
        el("button", { class: "btn", type: "button", disabled: offset + rows.length >= total,
          onclick: () => { offset += PAGE_SIZE; search(); } }, "Ouder →"));
    }

    form.addEventListener("submit", (event) => { event.preventDefault(); offset = 0; search(); });
    await search();
  }

  // --- a client's data on request, and retention ----------------------------------------------

  async function renderPrivacy(page) {
    const retention = el("section", { class: "card", id: "adm-retention" }, el("h2", { text: "Bewaartermijn" }), el("p", { class: "muted", text: "Laden…" }));
    const exportResult = el("div", { class: "adm-result", id: "adm-export-result" });
    const exportForm = el("form", { class: "card adm-form", id: "adm-export" },
      el("h2", { text: "Gegevens van een cliënt exporteren" }),
      el("p", { class: "muted", text: "Alles wat over één cliënt is opgeslagen (gesprekken, transcripten, actieplan en de wijzigingen) " +
        "als JSON-bestand, bijvoorbeeld als de cliënt om inzage vraagt." }),
      el("label", { for: "adm-export-ref", text: "Cliëntnummer" }),
      el("input", { id: "adm-export-ref", required: true, maxlength: 128 }),
      el("button", { class: "btn btn--primary", type: "submit" }, "Exporteren"), exportResult);
    const deleteResult = el("div", { class: "adm-result", id: "adm-delete-result" });
    const deleteForm = el("form", { class: "card adm-form adm-danger", id: "adm-delete" },
      el("h2", { text: "Gegevens van een cliënt verwijderen" }),
      el("p", { text: "Verwijdert alle gesprekken en het actieplan van deze cliënt voorgoed. Dit kan niet ongedaan worden gemaakt. " +
        "Exporteer eerst als de cliënt een kopie wil." }),
      el("label", { for: "adm-delete-ref", text: "Cliëntnummer" }),
      el("input", { id: "adm-delete-ref", required: true, maxlength: 128 }),
      el("label", { for: "adm-delete-confirm", text: "Typ het cliëntnummer nog een keer" }),
      el("input", { id: "adm-delete-confirm", required: true, maxlength: 128, autocomplete: "off" }),
      el("label", { class: "adm-check", for: "adm-delete-sure" },
        el("input", { type: "checkbox", id: "adm-delete-sure", required: true }),
        "Ik begrijp dat deze gegevens voorgoed weg zijn."),
      el("button", { class: "btn btn--danger", type: "submit" }, "Voorgoed verwijderen"), deleteResult);
    page.append(el("h1", { text: "Privacy" }), el("div", { class: "adm-grid" },
      el("div", {}, retention, exportForm), deleteForm));

    try {
      const info = await C.api("/admin/retention");
      retention.replaceChildren(el("h2", { text: "Bewaartermijn" }),
        el("p", { text: `Afgesloten gesprekken worden ${info.retention_days} dagen na het afsluiten geanonimiseerd: ` +
          "de tekst van cliënt en coach en de vrije tekst in het actieplan verdwijnen; de cijfers voor statistiek blijven." }),
        el("p", { id: "adm-due", text: info.due_sessions
          ? `Nu zijn ${info.due_sessions} afgesloten gesprek(ken) over de termijn en wachten op anonimiseren.`
          : "Er wachten nu geen gesprekken op anonimiseren." }),
        el("p", { class: "muted", text: "Het anonimiseren draait met het commando 'coach retention run' (dagelijks, via de planner van de server). " +
          "De termijn staat in COACH_RETENTION_DAYS." }));
    } catch (err) {
      result(retention, `Bewaartermijn ophalen lukte niet: ${err.message}`, "error");
    }

    exportForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ref = document.getElementById("adm-export-ref").value.trim();
      try {
        const response = await fetchRaw(`/admin/clients/export?${new URLSearchParams({ client_ref: ref })}`);
        const blob = await response.blob();
        const url = URL.createObjectURL(blob);
        const link = el("a", { href: url, download: `client-${ref.replace(/[^A-Za-z0-9_-]/g, "_")}.json`, hidden: true });
        document.body.appendChild(link);
        link.click();
        link.remove();
        window.setTimeout(() => URL.revokeObjectURL(url), 60000);
        result(exportResult, `Export van ${ref} is gedownload. Bewaar het bestand veilig; het bevat gevoelige gegevens.`, "info");
      } catch (err) {
        result(exportResult, err.status === 404 ? `Geen gegevens gevonden met cliëntnummer ${ref}.` : `Exporteren lukte niet: ${err.message}`, "error");
      }
    });

    deleteForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ref = document.getElementById("adm-delete-ref").value.trim();
      const confirm = document.getElementById("adm-delete-confirm").value.trim();
      if (ref !== confirm) { result(deleteResult, "De twee cliëntnummers zijn niet gelijk. Er is niets verwijderd.", "error"); return; }
      try {
        const counts = await C.api(`/admin/clients?${new URLSearchParams({ client_ref: ref, confirm })}`, { method: "DELETE" });
        result(deleteResult, `Verwijderd: ${counts.sessions} gesprek(ken), ${counts.messages} berichten, ${counts.plans} actieplan(nen) ` +
          `en ${counts.plan_changes} wijzigingen van ${ref}.`, "info");
        deleteForm.reset();
      } catch (err) {
        result(deleteResult, err.status === 404 ? `Geen gegevens gevonden met cliëntnummer ${ref}. Er is niets verwijderd.`
          : `Verwijderen lukte niet: ${err.message}`, "error");
      }
    });
  }

  C.register("/admin/accounts", { title: "Accounts", roles: ADMIN, nav: true, order: 50, render: renderAccounts });
  C.register("/admin/audit", { title: "Auditlog", roles: ADMIN, nav: true, order: 51, render: renderAudit });
  C.register("/admin/privacy", { title: "Privacy", roles: ADMIN, nav: true, order: 52, render: renderPrivacy });
})();
