// Plan page (#/plan/:id): where an answer came from: the client's words it was taken from (quoted, linked to the
// transcript), the coach's question before them, a mark on an answer the coach placed with doubt,
// and "Verplaatsen…" to move it to another question (issue 17.1).
// Installed on the page's shared object P by plan/page.js; P.state is the review being shown.
"use strict";

(function () {
  const C = window.Console;
  const { el, formatDateTime, shorten, request, SOURCE_LABEL, UNSURE_BELOW } = C.records;

  C.planParts.push(function provenance(P) {
    // Issue 17.1: the question the coach asked before the client's words, a mark on an answer the
    // coach placed with doubt, and "Verplaatsen…" to move it to another question in one step.
    function placementNode(key) {
      const placed = key && P.state.placements ? P.state.placements[key] : null;
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
        P.state.layout.map((block) => {
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
          await request(`${P.base}/plan/move`, { method: "POST",
            body: { from: key, to: select.value, expected_updated_at: P.state.plan.updated_at } });
        } catch (err) {
          if (err.status === 409 && err.reason === "stale") {
            await P.reloadKeepingPlace("Het plan is intussen gewijzigd. De nieuwe versie staat nu op het scherm.", "error");
          } else C.toast(`Verplaatsen lukte niet: ${err.message}`, "error");
          return;
        }
        await P.reloadKeepingPlace("Antwoord verplaatst.");
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
            const m = P.state.messages[id];
            return m ? el("a", { class: "pf-source__quote", href: `#/sessions/${m.session_id}/${id}`,
              title: "Open dit bericht in het transcript", text: `“${shorten(m.text, 90)}”` }) : null;
          }), placementNode(key));
      }
      if (prov.source === "client_message") {
        const quotes = (prov.message_ids || []).map((id) => {
          const m = P.state.messages[id];
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

    Object.assign(P, { placementNode, openMove, provenanceNode, whoBadge });
  });
})();
