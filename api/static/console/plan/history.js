// Plan page (#/plan/:id): the audit trail of the plan: every change, who made it, the old and the new answer.
// Installed on the page's shared object P by plan/page.js; P.state is the review being shown.
"use strict";

(function () {
  const C = window.Console;
  const { el, formatDateTime, shorten, optionLabel, ANSWER_STATUS, HISTORY_SHOWN } = C.records;

  C.planParts.push(function history(P) {
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
      const rows = showAll ? P.history : P.history.slice(0, HISTORY_SHOWN);
      P.historyCard.replaceChildren(
        el("h2", { text: "Wijzigingen (audit trail)" }),
        el("p", { class: "muted", text: "Elke wijziging van het plan: wie, wanneer, het oude en het nieuwe antwoord. Nieuwste bovenaan." }),
        P.history.length ? el("div", { class: "pf-table-wrap" }, el("table", { class: "rec-table plan-history__table" },
          el("thead", {}, el("tr", {}, ["Wanneer", "Wie", "Onderdeel", "Was", "Wordt"].map((t) => el("th", { scope: "col", text: t })))),
          el("tbody", {}, rows.map((change) => el("tr", { class: "plan-change", dataset: { path: change.path } },
            el("td", { text: formatDateTime(change.at) }),
            el("td", { text: whoChanged(change) }),
            el("td", {}, el("span", { text: change.label }),
              change.message_id ? el("a", { class: "plan-change__msg", href: `#/sessions/${change.session_id || P.sessionId}/${change.message_id}`,
                text: " (bericht)" }) : null),
            el("td", { class: "plan-change__old", text: shorten(briefValue(change.old), 160) }),
            el("td", { class: "plan-change__new", text: shorten(briefValue(change.new), 160) }))))))
          : el("p", { class: "empty", text: "Nog geen wijzigingen." }),
        !showAll && P.history.length > HISTORY_SHOWN
          ? el("button", { class: "btn btn--small", type: "button", onclick: () => renderHistory(true) }, `Toon alle ${P.history.length} wijzigingen`) : null);
    }

    Object.assign(P, { briefValue, whoChanged, renderHistory });
  });
})();
