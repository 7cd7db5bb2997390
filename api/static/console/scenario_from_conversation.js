// A conversation that went wrong becomes a practice scenario (issue 17.7), for whoever may read
// it: a counsellor for a client's talk, a trainer for a training talk, an admin for both.
// The draft comes anonymised (places, names and numbers replaced) and opens in the scenario
// editor (trainer/editor.js, C.scenarioEditor); nothing is stored until the user has read it and
// presses Opslaan, and then only as a new scenario. Trainers see what was saved, never the
// transcript. Page: #/scenario-from/:session.
"use strict";

(function () {
  const C = window.Console;
  const enc = encodeURIComponent;

  async function renderDraft(page, params) {
    const base = `/staff/sessions/${enc(params.session)}`;
    const draft = await C.api(`${base}/scenario-draft`);
    const replaced = draft.replaced || [];
    page.append(
      C.el("p", { class: "crumbs" },
        C.el("a", { href: `#/sessions/${enc(params.session)}`, text: "Transcript" }), " › als oefenscenario"),
      C.el("h1", { text: "Oefenscenario uit dit gesprek" }),
      C.el("div", { class: "notice notice--info", id: "draft-privacy" },
        C.el("h2", { text: "Lees eerst na wat trainers te zien krijgen" }),
        C.el("p", { text: "Trainers lezen alleen wat u hier opslaat, niet het gesprek zelf. De coach verving " +
          "plaatsen, namen, data en lange nummers. Staat er nog iets in waaraan iemand de cliënt kan herkennen, " +
          "verander het dan in de tekst hieronder voordat u opslaat." })),
      C.el("p", { class: "muted", id: "draft-replaced", text: replaced.length
        ? `Vervangen (${replaced.length}): ${replaced.map((r) => `${r.was} → ${r.now}`).join(", ")}.`
        : "De coach vond niets om te vervangen. Lees de beurten na op namen en nummers." }));
    const editor = C.scenarioEditor({
      name: draft.name, yaml: draft.yaml, version: null, isNew: true,
      check: (name, yaml) => C.api(`${base}/scenario/check`, { method: "POST", body: { name, yaml } }),
      persist: (name, yaml) => C.api(`${base}/scenario`, { method: "POST", body: { name, yaml } }),
      onCancel: () => C.navigate(`/sessions/${enc(params.session)}`),
      onSaved: (saved) => C.navigate(C.hasRoute("/trainer/scenarios/:name")
        ? `/trainer/scenarios/${enc(saved)}` : `/sessions/${enc(params.session)}`),
    });
    page.appendChild(editor.node);
    editor.focus();
  }

  C.register("/scenario-from/:session", {
    title: "Oefenscenario uit een gesprek", roles: ["counsellor", "trainer", "admin"], render: renderDraft,
  });
})();
