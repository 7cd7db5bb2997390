// Plan page (#/plan/:id): editing one answer, one counsellor field or one list item in place; every save goes through
// P.save (If-Match: never overwrites what the coach wrote meanwhile).
// Installed on the page's shared object P by plan/page.js; P.state is the review being shown.
"use strict";

(function () {
  const C = window.Console;
  const { el, copy, getAt, setAt, ANSWER_STATUS } = C.records;
  const { inputFor, newItemId, LONG_ITEM_KEYS } = C.planFields;

  C.planParts.push(function editors(P) {
    function openEditor(row, build) {
      if (P.editing) P.editing();
      const holder = el("div", { class: "pf-editor" });
      row.appendChild(holder);
      row.classList.add("pf--editing");
      P.editing = () => { holder.remove(); row.classList.remove("pf--editing"); P.editing = null; };
      build(holder, P.editing);
    }

    function answerEditor(field, holder, close) {
      const raw = getAt(P.state.plan, field.path);
      const current = raw && typeof raw === "object" ? raw : {};
      const id = `edit-${field.path.replace(/\./g, "-")}`;
      const value = inputFor(field, current.value, id);
      const status = el("select", { id: `${id}-status` },
        ANSWER_STATUS.map(([key, label]) => el("option", { value: key, selected: key === (current.status || "answered"), text: label })));
      const note = el("textarea", { id: `${id}-note`, rows: 2, maxlength: 4000, placeholder: "Toelichting (mag leeg)" });
      note.value = current.note || "";
      const error = el("p", { class: "error", role: "alert", hidden: true });
      const saveButton = el("button", { class: "btn btn--primary pf-editor__save", type: "submit" }, "Opslaan");
      const form = el("form", { class: "pf-editor__form" },
        el("label", { for: id, text: "Antwoord" }), value.node,
        el("div", { class: "pf-editor__row" },
          el("div", {}, el("label", { for: `${id}-status`, text: "Status" }), status),
          el("div", { class: "pf-editor__note" }, el("label", { for: `${id}-note`, text: "Toelichting" }), note)),
        error,
        el("div", { class: "pf-editor__buttons" }, saveButton,
          el("button", { class: "btn btn--quiet", type: "button", onclick: close }, "Annuleren"),
          raw !== undefined ? el("button", { class: "btn btn--danger pf-editor__clear", type: "button", onclick: clearAnswer }, "Leegmaken") : null));
      holder.appendChild(form);
      value.focus();

      async function clearAnswer() {
        saveButton.disabled = true;
        await P.save((plan) => setAt(plan, field.path, undefined), `“${field.label}” is leeggemaakt.`);
        saveButton.disabled = false;
      }

      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const newValue = value.read();
        const chosen = status.value;
        const emptyValue = newValue === null || (Array.isArray(newValue) && newValue.length === 0);
        if (chosen === "answered" && emptyValue) {
          error.textContent = "Vul een antwoord in, of kies een andere status (bijvoorbeeld 'weet ik niet').";
          error.hidden = false;
          return;
        }
        const wrapper = { status: chosen };
        if (!emptyValue) wrapper.value = newValue;
        if (note.value.trim()) wrapper.note = note.value;
        saveButton.disabled = true;
        await P.save((plan) => setAt(plan, field.path, wrapper), `“${field.label}” is opgeslagen.`);
        saveButton.disabled = false;
      });
    }

    function plainEditor(field, holder, close) {
      const id = `edit-${field.path.replace(/\./g, "-")}`;
      const value = inputFor(field, getAt(P.state.plan, field.path), id);
      const form = el("form", { class: "pf-editor__form" }, value.node,
        el("div", { class: "pf-editor__buttons" },
          el("button", { class: "btn btn--primary pf-editor__save", type: "submit" }, "Opslaan"),
          el("button", { class: "btn btn--quiet", type: "button", onclick: close }, "Annuleren")));
      holder.appendChild(form);
      value.focus();
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const newValue = value.read();
        await P.save((plan) => setAt(plan, field.path, newValue === null ? undefined : newValue), `“${field.label}” is opgeslagen.`);
      });
    }

    function itemEditor(field, index, holder, close) {
      const list = getAt(P.state.plan, field.path) || [];
      const current = index === null ? {} : list[index];
      const inputs = [];
      const id = `item-${field.path.replace(/\./g, "-")}`;
      const form = el("form", { class: "pf-editor__form pf-item-form" });
      for (const itemField of field.item_fields) {
        if (itemField.kind === "id") continue;
        const inputId = `${id}-${itemField.key}`;
        const spec = { ...itemField, long: LONG_ITEM_KEYS.has(itemField.key) };
        let initial = current[itemField.key];
        if (itemField.kind === "yes_no_answer" || itemField.kind === "text_answer") {
          initial = initial && typeof initial === "object" ? initial.value : undefined;
        }
        if (index === null && field.path === "actions" && itemField.key === "status") initial = "open";
        const input = inputFor(spec, initial, inputId);
        inputs.push({ itemField, input });
        form.appendChild(el("div", { class: ["pf-item-form__field", spec.long && "pf-item-form__field--wide"] },
          el("label", { for: inputId }, itemField.label, itemField.required ? el("span", { class: "pf-required", text: " *" }) : null),
          input.node));
      }
      const error = el("p", { class: "error", role: "alert", hidden: true });
      const saveButton = el("button", { class: "btn btn--primary pf-editor__save", type: "submit" },
        index === null ? "Toevoegen" : "Opslaan");
      form.append(error, el("div", { class: "pf-editor__buttons" }, saveButton,
        el("button", { class: "btn btn--quiet", type: "button", onclick: close }, "Annuleren"),
        el("span", { class: "muted", text: "* verplicht" })));
      holder.appendChild(form);
      if (inputs[0]) inputs[0].input.focus();

      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const item = copy(current) || {};
        const missing = [];
        for (const { itemField, input } of inputs) {
          const value = input.read();
          const empty = value === null || (Array.isArray(value) && value.length === 0);
          if (itemField.kind === "yes_no_answer" || itemField.kind === "text_answer") {
            if (empty) delete item[itemField.key]; else item[itemField.key] = { value, status: "answered" };
          } else if (empty) {
            if (itemField.kind === "bool" && itemField.required) item[itemField.key] = false;
            else delete item[itemField.key];
          } else {
            item[itemField.key] = value;
          }
          if (itemField.required && item[itemField.key] === undefined) missing.push(itemField.label);
        }
        for (const idField of field.item_fields.filter((f) => f.kind === "id")) {
          if (!item[idField.key]) item[idField.key] = newItemId(field);
        }
        if (missing.length) {
          error.textContent = `Vul nog in: ${missing.join(", ")}.`;
          error.hidden = false;
          return;
        }
        delete item.provenance;  // the server stamps who changed it
        saveButton.disabled = true;
        await P.save((plan) => {
          const items = getAt(plan, field.path) || [];
          if (index === null) items.push(item); else items[index] = item;
          setAt(plan, field.path, items);
        }, index === null ? `${field.item_label} toegevoegd.` : `${field.item_label} opgeslagen.`);
        saveButton.disabled = false;
      });
    }

    Object.assign(P, { openEditor, answerEditor, plainEditor, itemEditor });
  });
})();
