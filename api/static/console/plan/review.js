// Plan page (#/plan/:id): the toolbar: review state, approval (asks first, names what is empty, refused while the
// conversation is open), withdrawing it, print, PDF and JSON.
// Installed on the page's shared object P by plan/page.js; P.state is the review being shown.
"use strict";

(function () {
  const C = window.Console;
  const { el, formatDateTime, optionLabel, request, saveBlob, notice, SPARSE_SHARE } = C.records;

  C.planParts.push(function review(P) {
    function renderToolbar() {
      const plan = P.state.plan;
      const review = plan.review || { status: "draft" };
      const approved = review.status === "counsellor_approved";
      let filled = 0;
      let total = 0;
      for (const block of P.state.layout) { const c = P.blockCounts(block); filled += c.filled; total += c.total; }
      const stateText = approved
        ? `Goedgekeurd door ${review.approved_by || "?"} op ${formatDateTime(review.approved_at)}`
        : optionLabel(P.state.review_options, review.status);
      P.toolbar.replaceChildren(...[
        el("div", { class: "plan-toolbar__state" },
          el("span", { class: ["tag", approved ? "tag--approved" : "tag--draft"], id: "plan-review-state", text: stateText }),
          el("span", { class: "muted", text: `${filled} van ${total} vragen en lijsten ingevuld · laatst gewijzigd ${formatDateTime(plan.updated_at)}` })),
        el("div", { class: "plan-toolbar__buttons" },
          approved
            ? el("button", { class: "btn", type: "button", id: "plan-reopen", onclick: reopen }, "Goedkeuring intrekken")
            : el("button", { class: "btn btn--primary", type: "button", id: "plan-approve", "aria-expanded": "false",
              "aria-controls": "plan-approve-box", onclick: openApproval }, "Plan goedkeuren…"),
          el("button", { class: "btn", type: "button", id: "plan-print", onclick: printHtml }, "Afdrukken"),
          el("button", { class: "btn", type: "button", id: "plan-pdf", onclick: downloadPdf }, "PDF downloaden"),
          el("button", { class: "btn", type: "button", id: "plan-json", onclick: downloadJson }, "JSON downloaden")),
      ]);
    }

    /** The toolbar sticks under the shell bar (one or two rows high), the contents list under both. */
    function stick() {
      const bar = document.getElementById("shell-bar");
      const top = bar ? bar.offsetHeight : 0;
      const below = top + P.toolbar.offsetHeight + 12;
      P.toolbar.style.top = `${top}px`;
      P.toc.style.top = `${below}px`;
      P.toc.style.maxHeight = `calc(100vh - ${below + 12}px)`;
      P.page.style.setProperty("--plan-sticky", `${below}px`);
    }

    /** Approval asks first: it names what is still empty, warns about a nearly empty plan (a tick
     *  is needed) and, while the conversation is open, offers to close it first (the server refuses otherwise). */
    function openApproval() {
      let filled = 0;
      let total = 0;
      const empty = [];
      for (const block of P.state.layout) {
        const c = P.blockCounts(block);
        filled += c.filled; total += c.total;
        if (c.filled === 0) empty.push(block.label);
      }
      const sparse = total > 0 && filled < SPARSE_SHARE * total;
      const message = el("div", { id: "plan-approve-message", "aria-live": "polite" });
      const tick = sparse ? el("input", { type: "checkbox", id: "plan-approve-sparse" }) : null;
      const confirm = el("button", { class: "btn btn--primary", type: "button", id: "plan-approve-confirm", disabled: sparse,
        onclick: () => approve({ confirmIncomplete: sparse }) }, "Ja, plan goedkeuren");
      if (tick) tick.addEventListener("change", () => { confirm.disabled = !tick.checked; });
      const box = el("div", { class: "plan-approve", id: "plan-approve-box", role: "group", "aria-labelledby": "plan-approve-title" },
        el("h2", { id: "plan-approve-title", text: "Plan goedkeuren?" }),
        el("p", { text: `U keurt dit plan goed als ${(C.user || {}).username || "begeleider"}. Uw naam komt bij "Naam begeleider" ` +
          "als daar nog niets staat. Een latere wijziging zet het plan weer op concept." }),
        el("p", { text: `${filled} van ${total} vragen en lijsten zijn ingevuld.` }),
        empty.length ? el("p", { id: "plan-approve-empty" }, el("strong", { text: "Nog helemaal leeg: " }), empty.join(", ")) : null,
        sparse ? el("div", { class: "notice notice--error plan-approve__warning", id: "plan-approve-warning" },
          el("p", { text: `Let op: maar ${filled} van de ${total} vragen zijn ingevuld. Lees het plan met de cliënt na voordat u het goedkeurt.` }),
          el("label", { for: "plan-approve-sparse" }, tick, " Ik heb dit gezien en keur het plan toch goed.")) : null,
        message,
        el("div", { class: "plan-approve__buttons" }, confirm,
          el("button", { class: "btn btn--quiet", type: "button", id: "plan-approve-cancel", onclick: closeApproval }, "Annuleren")));
      closeApproval();
      P.toolbar.appendChild(box);
      const opener = document.getElementById("plan-approve");
      if (opener) opener.setAttribute("aria-expanded", "true");
      (tick || confirm).focus();
      stick();

      async function approve({ confirmIncomplete }) {
        confirm.disabled = true;
        try {
          await request(`${P.base}/plan/approve`, { method: "POST",
            body: { expected_updated_at: P.state.plan.updated_at, confirm_incomplete: Boolean(confirmIncomplete) } });
        } catch (err) {
          confirm.disabled = Boolean(tick && !tick.checked);
          if (err.status === 409 && err.reason === "conversation_open") {
            message.replaceChildren(el("div", { class: "notice notice--error" },
              el("p", { text: err.message }),
              el("button", { class: "btn btn--danger", type: "button", id: "plan-close-and-approve",
                onclick: () => closeThenApprove(err.openSessions || [P.sessionId], confirmIncomplete) },
              "Gesprek afsluiten en plan goedkeuren")));
            return;
          }
          if (err.status === 409 && err.reason === "incomplete") {
            message.replaceChildren(notice(err.message, "error"));
            return;
          }
          if (err.status === 409) { await P.reloadKeepingPlace("Het plan is intussen gewijzigd. Lees het opnieuw na en keur dan goed.", "error"); return; }
          message.replaceChildren(notice(`Goedkeuren lukte niet: ${err.message}`, "error"));
          return;
        }
        await P.reloadKeepingPlace("Het plan is goedgekeurd.");
      }

      async function closeThenApprove(ids, confirmIncomplete) {
        try {
          for (const id of ids) await C.api(`/staff/sessions/${encodeURIComponent(id)}/close`, { method: "POST" });
        } catch (err) {
          message.replaceChildren(notice(`Afsluiten lukte niet: ${err.message}`, "error"));
          return;
        }
        await approve({ confirmIncomplete });
      }
    }

    function closeApproval() {
      const box = document.getElementById("plan-approve-box");
      if (box) box.remove();
      const opener = document.getElementById("plan-approve");
      if (opener) { opener.setAttribute("aria-expanded", "false"); }
    }

    async function reopen() {
      try {
        await C.api(`${P.base}/plan/reopen`, { method: "POST" });
      } catch (err) {
        C.toast(`Intrekken lukte niet: ${err.message}`, "error");
        return;
      }
      await P.reloadKeepingPlace("De goedkeuring is ingetrokken; het plan is weer een concept.");
    }

    function fileName(extension) {
      const who = P.state.plan.client_ref ? P.state.plan.client_ref.replace(/[^A-Za-z0-9_-]/g, "_") : P.sessionId.slice(0, 8);
      return `actieplan-${who}.${extension}`;
    }

    async function printHtml() {
      const tab = window.open("", "_blank");  // opened now: a window opened after a wait is blocked as a pop-up
      try {
        const html = await request(`${P.base}/plan.html`, { as: "text" });
        const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
        if (tab) tab.location = url; else saveBlob(new Blob([html], { type: "text/html" }), fileName("html"));
      } catch (err) {
        if (tab) tab.close();
        C.toast(`Afdrukversie maken lukte niet: ${err.message}`, "error");
      }
    }

    async function downloadPdf() {
      const button = document.getElementById("plan-pdf");
      button.disabled = true;
      button.textContent = "PDF wordt gemaakt…";
      try {
        saveBlob(await request(`${P.base}/plan.pdf`, { as: "blob" }), fileName("pdf"));
      } catch (err) {
        C.toast(`PDF maken lukte niet: ${err.message}`, "error");
      } finally {
        button.disabled = false;
        button.textContent = "PDF downloaden";
      }
    }

    async function downloadJson() {
      try {
        const plan = await C.api(`${P.base}/plan`);
        saveBlob(new Blob([JSON.stringify(plan, null, 2)], { type: "application/json" }), fileName("json"));
      } catch (err) {
        C.toast(`JSON ophalen lukte niet: ${err.message}`, "error");
      }
    }

    Object.assign(P, { renderToolbar, stick, openApproval, closeApproval, reopen, fileName, printHtml, downloadPdf, downloadJson });
  });
})();
