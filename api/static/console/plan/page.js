// The persoonlijk actieplan of a conversation (#/plan/:id, #/plan/:id/:field), for counsellors:
// correct answers, fill the counsellor's parts, keep the action list, approve, print.
//
// This file builds the page and holds its state; each part of the page is one file beside it,
// installed on the shared object P (plan/provenance.js, editors.js, sections.js, history.js,
// review.js; the value helpers in plan/fields.js). P carries:
//   sessionId, base          the conversation and its staff API path
//   state, history           the review being shown ({plan, layout, messages, placements,
//                            review_options}) and the plan's changes, re-read by load()
//   editing                  the open editor's close function (one editor at a time)
//   page, head, toolbar, toc, body, historyCard   the page's regions
//   load, reloadKeepingPlace, save, render          defined here; the parts add their own.
"use strict";

(function () {
  const C = window.Console;
  const { el, copy, request, focus } = C.records;
  const ROLES = ["counsellor", "admin", "trainer"];
  const parts = C.planParts;

  async function renderPlan(page, params) {
    const sessionId = params.id;
    const P = {
      sessionId,
      base: `/staff/sessions/${encodeURIComponent(sessionId)}`,
      state: null,
      history: [],
      editing: null,
      page,
      head: el("div", { class: "rec-head" }),
      toolbar: el("div", { class: "card plan-toolbar", id: "plan-toolbar" }),
      toc: el("nav", { class: "plan-toc", "aria-label": "Onderdelen van het plan" }),
      body: el("div", { class: "plan-body", id: "plan-body" }),
      historyCard: el("section", { class: "card plan-history", id: "plan-history", "aria-label": "Wijzigingen" }),
    };
    page.append(P.head, P.toolbar,
      el("div", { class: "plan-layout" }, P.toc, el("div", { class: "plan-main" }, P.body, P.historyCard)));

    P.load = async function load() {
      const [review, changes] = await Promise.all([C.api(`${P.base}/plan/review`), C.api(`${P.base}/plan/history`)]);
      P.state = review;
      P.history = changes;
      P.editing = null;
      P.render();
    };

    P.reloadKeepingPlace = async function reloadKeepingPlace(message, kind = "success") {
      const y = window.scrollY;
      await P.load();
      window.scrollTo(0, y);
      if (message) C.toast(message, kind);
    };

    /** PUT the plan changed by `change`; If-Match stops overwriting what the coach wrote meanwhile. */
    P.save = async function save(change, done) {
      const next = copy(P.state.plan);
      change(next);
      try {
        await request(`${P.base}/plan`, { method: "PUT", body: next, headers: { "If-Match": P.state.plan.updated_at } });
      } catch (err) {
        if (err.status === 409) {
          await P.reloadKeepingPlace("Het plan is intussen gewijzigd. De nieuwe versie staat nu op het scherm; doe uw wijziging opnieuw.", "error");
          return false;
        }
        C.toast(err.status === 422 ? `Niet opgeslagen, controleer de invoer: ${err.message}` : `Opslaan lukte niet: ${err.message}`, "error");
        return false;
      }
      await P.reloadKeepingPlace(done);
      return true;
    };

    P.render = function render() {
      const plan = P.state.plan;
      P.head.replaceChildren(
        el("a", { href: `#/sessions/${sessionId}`, class: "rec-back", text: "← Naar het transcript" }),
        el("h1", { id: "plan-title", text: `Persoonlijk actieplan · ${plan.client_ref ? "cliënt " + plan.client_ref : "gesprek " + sessionId.slice(0, 8)}` }),
        el("p", { class: "muted", text: `Bereikte fase: ${C.label("phase", plan.phase_reached)} · ${(plan.session_ids || []).length || 1} gesprek(ken). ` +
          "Antwoorden met een citaat komen uit het gesprek; klik op het citaat om het bericht te zien. " +
          "Lees het plan na met de cliënt en keur het goed als het klopt; een latere wijziging zet het weer op concept." }));
      P.renderToolbar();
      P.renderToc();
      P.body.replaceChildren(...P.state.layout.map(P.blockNode));
      P.renderHistory(false);
      P.stick();
    };

    for (const install of parts) install(P);
    await P.load();
    if (params.field) focus(`field-${params.field}`);
    window.addEventListener("resize", P.stick);
    return () => window.removeEventListener("resize", P.stick);
  }

  C.register("/plan/:id", { title: "Actieplan", roles: ROLES, render: renderPlan });
  C.register("/plan/:id/:field", { title: "Actieplan", roles: ROLES, render: renderPlan });
})();
