// Trainer workbench: the wording review (#/trainer/wording): every bot response with its MI code, as the client reads it.
// Scenario, client and bot text only ever reaches the page as text.
"use strict";

(function () {
  const C = window.Console;
  const { ROLES, miLabel, toolbar } = C.trainer;

  // --- wording review ------------------------------------------------------------------------

  async function renderWording(page) {
    const catalog = await C.api("/trainer/responses");
    const search = C.el("input", { id: "wording-search", type: "search", placeholder: "Zoek in tekst of naam", "aria-label": "Zoek in de teksten" });
    const codeFilter = C.el("select", { id: "wording-code", "aria-label": "MI-code" },
      C.el("option", { value: "", text: "Alle MI-codes" }),
      Object.keys(catalog.mi_code_counts).map((code) => C.el("option", { value: code, text: `${miLabel(code === "(geen)" ? null : code)} (${catalog.mi_code_counts[code]})` })));
    const count = C.el("p", { class: "muted", id: "wording-count", role: "status" });
    const list = C.el("div", { class: "wording-list", id: "wording-list" });
    const missing = catalog.responses.filter((r) => r.missing_mi_code).length;

    page.append(...[C.el("h1", { text: "Teksten van de coach" }),
      C.el("p", { class: "muted trainer-intro", text: "Elke tekst die de coach kan zeggen, met de MI-code (de gesprekstechniek) en alle varianten. " +
        "De coach kiest per keer één variant, zodat hij niet steeds hetzelfde zegt." }),
      C.el("ul", { class: "mi-summary", "aria-label": "Aantal varianten per MI-code" },
        Object.entries(catalog.mi_code_counts).map(([code, n]) => C.el("li", {},
          C.el("button", { type: "button", class: "chip chip--button", onclick: () => { codeFilter.value = code; draw(); },
            text: `${miLabel(code === "(geen)" ? null : code)}: ${n}` })))),
      missing ? C.el("p", { class: "warning", text: `${missing} tekst(en) zonder MI-code bij een of meer varianten.` }) : null,
      toolbar(search, codeFilter), count, list].filter(Boolean));

    function matches(item, words, code) {
      if (code && !(code === "(geen)" ? item.missing_mi_code : item.variations.some((v) => v.mi_code === code))) return false;
      if (!words) return true;
      const haystack = [item.name, ...item.variations.map((v) => v.text), ...item.variations.flatMap((v) => v.buttons)].join(" ").toLowerCase();
      return words.split(/\s+/).every((w) => haystack.includes(w));
    }

    function card(item) {
      return C.el("article", { class: "card wording", dataset: { name: item.name } },
        C.el("header", { class: "wording__head" },
          C.el("h2", { class: "wording__name" }, C.el("code", { text: item.name })),
          item.mi_codes.map((code) => C.el("span", { class: "tag tag--mi", text: miLabel(code) })),
          item.missing_mi_code ? C.el("span", { class: "tag tag--warn", text: "MI-code ontbreekt" }) : null),
        item.used_by.length ? C.el("p", { class: "muted wording__used", text: `Gebruikt door: ${item.used_by.join(", ")}` }) : null,
        C.el("ol", { class: "wording__variations" }, item.variations.map((v) => C.el("li", {},
          C.el("p", { class: "wording__text", text: v.text }),
          v.buttons.length ? C.el("div", { class: "step-msg__buttons" }, v.buttons.map((b) => C.el("span", { class: "chip", text: b }))) : null,
          v.condition.length || (v.mi_code && item.mi_codes.length > 1) ? C.el("p", { class: "muted" },
            v.condition.length ? `alleen als ${v.condition.join(" en ")}` : "",
            v.mi_code && item.mi_codes.length > 1 ? ` · ${miLabel(v.mi_code)}` : "") : null))));
    }

    function draw() {
      const words = search.value.trim().toLowerCase();
      const shown = catalog.responses.filter((item) => matches(item, words, codeFilter.value));
      const variations = shown.reduce((n, item) => n + item.variations.length, 0);
      count.textContent = `${shown.length} van ${catalog.responses.length} teksten, ${variations} varianten.`;
      list.replaceChildren(...shown.map(card));
    }

    search.addEventListener("input", draw);
    codeFilter.addEventListener("change", draw);
    draw();
  }


  C.register("/trainer/wording", { title: "Teksten", roles: ROLES, nav: true, order: 23, render: renderWording });
})();
