// Plan page (#/plan/:id): the plan's sections as the counsellor reads them: one row per question with its answer and
// where it came from, lists as tables, per section how much is filled, and the contents list.
// Installed on the page's shared object P by plan/page.js; P.state is the review being shown.
"use strict";

(function () {
  const C = window.Console;
  const { el, optionLabel, getAt, setAt, ANSWER_STATUS } = C.records;
  const { answerText, isEmpty, itemCell } = C.planFields;

  C.planParts.push(function sections(P) {
    function listNode(field, raw, row) {
      const items = Array.isArray(raw) ? raw : [];
      const columns = field.item_fields.filter((f) => f.kind !== "id" && f.key !== "action_id");
      const goals = {};
      for (const goal of getAt(P.state.plan, "sections.goals.items") || []) if (goal && goal.id) goals[goal.id] = goal.description || goal.id;
      const rows = items.map((item, index) => {
        const prov = item && item.provenance;
        const removeConfirm = el("span", { class: "pf-confirm", hidden: true },
          "Verwijderen? ",
          el("button", { class: "btn btn--danger btn--small pf-remove-yes", type: "button", onclick: () =>
            P.save((plan) => { const list = getAt(plan, field.path); list.splice(index, 1); }, `${field.item_label} verwijderd.`) }, "Ja, verwijderen"),
          el("button", { class: "btn btn--quiet btn--small", type: "button", onclick: () => { removeConfirm.hidden = true; } }, "Nee"));
        const placed = P.state.placements && P.state.placements[`${field.path}[${index}]`];
        return el("tr", { class: ["pf-item", placed && placed.doubt && "pf-item--doubt"], dataset: { index: String(index) } },
          columns.map((c) => el("td", { class: "pf-item__cell", text: itemCell(c, item[c.key], goals) })),
          el("td", { class: "pf-item__meta" }, P.provenanceNode(prov, `${field.path}[${index}]`),
            el("div", { class: "pf-item__buttons" },
              el("button", { class: "btn btn--small pf-item-edit", type: "button",
                onclick: () => P.openEditor(row, (holder, close) => P.itemEditor(field, index, holder, close)) }, "Wijzigen"),
              el("button", { class: "btn btn--small btn--quiet pf-item-remove", type: "button",
                onclick: () => { removeConfirm.hidden = false; } }, "Verwijderen"),
              removeConfirm)));
      });
      const full = field.max_items && items.length >= field.max_items;
      return el("div", { class: "pf-list" },
        items.length
          ? el("div", { class: "pf-table-wrap" }, el("table", { class: "pf-table" },
            el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col", text: c.label })), el("th", { text: "Herkomst" }))),
            el("tbody", {}, rows)))
          : el("p", { class: "pf-empty", text: "Nog leeg." }),
        el("button", { class: "btn btn--small pf-add", type: "button", disabled: Boolean(full),
          onclick: () => P.openEditor(row, (holder, close) => P.itemEditor(field, null, holder, close)) },
        full ? `Maximaal ${field.max_items}` : `+ ${field.item_label} toevoegen`));
    }

    function fieldRow(field) {
      const raw = getAt(P.state.plan, field.path);
      const empty = isEmpty(field, raw);
      const fromClient = !empty && raw && raw.provenance && raw.provenance.source === "client_message";
      const doubtful = !empty && P.state.placements && P.state.placements[field.path] && P.state.placements[field.path].doubt;
      const row = el("div", { class: ["pf", empty && "pf--empty", fromClient && "pf--client", field.kind === "list" && "pf--list",
        doubtful && "pf--doubt"],
        id: `field-${field.path}`, dataset: { path: field.path } });
      const label = el("div", { class: "pf__label" }, el("span", { class: "pf__question", text: field.label }), " ", P.whoBadge(field.who));
      if (field.kind === "list") {
        row.append(label, listNode(field, raw, row));
        return row;
      }
      let shown;
      if (field.kind === "plain_text" || field.kind === "plain_int") {
        shown = empty ? el("span", { class: "pf-empty", text: "Nog leeg." }) : el("span", { class: "pf-value", text: String(raw) });
      } else if (empty) {
        shown = el("div", {},
          el("span", { class: "pf-empty", text: raw && raw.status === "not_asked" ? "Nog niet gevraagd." : "Nog leeg." }),
          raw && raw.note ? el("div", { class: "pf-note", text: `Toelichting: ${raw.note}` }) : null);
      } else {
        const text = answerText(field, raw);
        const statusLabel = raw.status && raw.status !== "answered" ? optionLabel(ANSWER_STATUS, raw.status) : "";
        shown = el("div", {},
          text ? el("span", { class: "pf-value", text }) : null,
          statusLabel ? el("span", { class: "pf-status", text: text ? ` (${statusLabel})` : statusLabel }) : null,
          raw.note ? el("div", { class: "pf-note", text: `Toelichting: ${raw.note}` }) : null);
      }
      const edit = el("button", { class: "btn btn--small pf__edit", type: "button",
        "aria-label": `${empty ? "Invullen" : "Wijzigen"}: ${field.label}`,
        onclick: () => P.openEditor(row, (holder, close) =>
          (field.kind === "plain_text" || field.kind === "plain_int" ? P.plainEditor : P.answerEditor)(field, holder, close)) },
      empty ? "Invullen" : "Wijzigen");
      row.append(label, el("div", { class: "pf__answer" }, shown, empty ? null : P.provenanceNode(raw && raw.provenance, field.path)), edit);
      return row;
    }

    // --- sections and the contents list -----------------------------------------------------

    function blockCounts(block) {
      let filled = 0;
      let fromClient = 0;
      for (const field of block.fields) {
        const raw = getAt(P.state.plan, field.path);
        if (!isEmpty(field, raw)) {
          filled += 1;
          const prov = field.kind === "list" ? null : raw && raw.provenance;
          const items = field.kind === "list" ? raw : [];
          if ((prov && prov.source === "client_message") ||
              items.some((i) => i && i.provenance && i.provenance.source === "client_message")) fromClient += 1;
        }
      }
      return { filled, fromClient, total: block.fields.length };
    }

    function blockNode(block) {
      const counts = blockCounts(block);
      const heading = el("h2", { class: "plan-block__title", text: block.label });
      const meta = el("div", { class: "plan-block__meta" },
        el("span", { class: "muted", text: `${counts.filled} van ${counts.total} ingevuld` +
          (counts.fromClient ? `, ${counts.fromClient} uit het gesprek` : "") }),
        block.sensitivity ? el("span", { class: "tag plan-sensitive", text: "gevoelig" }) : null);
      if (block.section) {
        const current = getAt(P.state.plan, block.status_path) || "not_started";
        const select = el("select", { id: `status-${block.key}`, "aria-label": `Status van ${block.label}` },
          block.status_options.map(([value, label]) => el("option", { value, selected: value === current, text: label })));
        select.addEventListener("change", () => P.save((plan) => setAt(plan, block.status_path, select.value),
          `Status van “${block.label}” opgeslagen.`));
        meta.append(el("label", { class: "plan-block__status", for: `status-${block.key}` }, "Stand: "), select);
      }
      const children = [];
      let group = null;
      for (const field of block.fields) {
        if ((field.group || null) !== group) {
          group = field.group || null;
          if (group) children.push(el("h3", { class: "plan-group", text: group }));
        }
        children.push(fieldRow(field));
      }
      return el("section", { class: ["card", "plan-block", counts.filled === 0 && "plan-block--empty"], id: `block-${block.key}`,
        dataset: { block: block.key } }, heading, meta, children);
    }

    function renderToc() {
      P.toc.replaceChildren(el("h2", { text: "Onderdelen" }), el("ol", {}, P.state.layout.map((block) => {
        const counts = blockCounts(block);
        return el("li", {}, el("button", { type: "button", class: "plan-toc__link",
          onclick: () => document.getElementById(`block-${block.key}`).scrollIntoView({ block: "start" }) },
        el("span", { text: block.label.split(":")[0] }),
        el("span", { class: ["plan-toc__count", counts.filled === 0 && "plan-toc__count--empty"], text: `${counts.filled}/${counts.total}` })));
      })));
    }

    Object.assign(P, { listNode, fieldRow, blockCounts, blockNode, renderToc });
  });
})();
