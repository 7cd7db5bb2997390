// Plan page (#/plan/:id): how a plan value reads in staff words, whether a field counts as filled,
// and the input that edits a value of each kind. No state; used by plan/sections.js and plan/editors.js.
"use strict";

(function () {
  const C = window.Console;
  const { el, pad, formatDate, formatDateTime, isoDay, optionLabel } = C.records;
  // The parts of the page (plan/provenance.js … plan/review.js) add themselves here; plan/page.js installs them.
  C.planParts = [];

  function answerText(field, wrapper) {
    if (!wrapper || typeof wrapper !== "object") return "";
    const value = wrapper.value;
    let text = "";
    if (field.kind === "yes_no") text = value === true ? "ja" : value === false ? "nee" : "";
    else if (field.kind === "choice") text = value == null ? "" : optionLabel(field.options, value);
    else if (field.kind === "multi_choice") text = (value || []).map((v) => optionLabel(field.options, v)).join(", ");
    else if (field.kind === "text_list") text = (value || []).join("\n");
    else if (field.kind === "ruler") text = value == null ? "" : `${value} van 10`;
    else if (field.kind === "date") text = formatDate(value);
    else text = value == null ? "" : String(value);
    return text;
  }

  function isEmpty(field, raw) {
    if (field.kind === "list") return !Array.isArray(raw) || raw.length === 0;
    if (field.kind === "plain_text" || field.kind === "plain_int") return raw === undefined || raw === null || raw === "";
    if (!raw || typeof raw !== "object") return true;
    if (raw.status && raw.status !== "answered" && raw.status !== "not_asked") return false;
    const v = raw.value;
    return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
  }

  function itemCell(itemField, value, goals) {
    if (itemField.kind === "yes_no_answer" || itemField.kind === "text_answer") {
      const inner = value && typeof value === "object" ? value.value : undefined;
      if (itemField.kind === "yes_no_answer") return inner === true ? "ja" : inner === false ? "nee" : "";
      return inner == null ? "" : String(inner);
    }
    if (value === undefined || value === null || value === "") return "";
    if (itemField.key === "goal_id" && goals[value]) return goals[value];
    if (itemField.kind === "choice") return optionLabel(itemField.options, value);
    if (itemField.kind === "multi_choice") return (value || []).map((v) => optionLabel(itemField.options, v)).join(", ");
    if (itemField.kind === "bool") return value ? "ja" : "nee";
    if (itemField.kind === "date") return formatDate(value);
    if (itemField.kind === "datetime") return formatDateTime(value);
    if (itemField.kind === "integer" && itemField.minimum === -3 && itemField.maximum === 3) {
      return value > 0 ? "+".repeat(value) : value < 0 ? "−".repeat(-value) : "0";
    }
    return String(value);
  }

  /** One input for a value of `kind`; read() gives the value (null for empty). */
  function inputFor(spec, current, id) {
    const kind = spec.kind;
    if (["yes_no", "bool", "yes_no_answer"].includes(kind)) {
      const name = `${id}-yn`;
      const radios = [[true, "ja"], [false, "nee"], [null, "leeg / onbekend"]].map(([value, label], i) => {
        const input = el("input", { type: "radio", name, id: `${name}-${i}`, value: String(value), checked: current === value });
        return { value, node: el("label", { class: "pf-radio", for: `${name}-${i}` }, input, " ", label), input };
      });
      if (current !== true && current !== false) radios[2].input.checked = true;
      return { node: el("div", { class: "pf-radios", role: "radiogroup" }, radios.map((r) => r.node)),
        read: () => (radios.find((r) => r.input.checked) || radios[2]).value,
        focus: () => radios[0].input.focus() };
    }
    if (kind === "choice") {
      const select = el("select", { id },
        el("option", { value: "", text: "— kies —" }),
        (spec.options || []).map(([value, label]) => el("option", { value, selected: value === current, text: label })));
      return { node: select, read: () => select.value || null, focus: () => select.focus() };
    }
    if (kind === "multi_choice") {
      const boxes = (spec.options || []).map(([value, label], i) => {
        const input = el("input", { type: "checkbox", id: `${id}-${i}`, value, checked: (current || []).includes(value) });
        return { value, input, node: el("label", { class: "pf-radio", for: `${id}-${i}` }, input, " ", label) };
      });
      return { node: el("div", { class: "pf-radios" }, boxes.map((b) => b.node)),
        read: () => boxes.filter((b) => b.input.checked).map((b) => b.value), focus: () => boxes[0] && boxes[0].input.focus() };
    }
    if (kind === "date") {
      const input = el("input", { type: "date", id, value: current ? String(current).slice(0, 10) : "" });
      return { node: input, read: () => input.value || null, focus: () => input.focus() };
    }
    if (kind === "datetime") {
      const local = current ? new Date(current) : null;
      const value = local && !Number.isNaN(local.getTime())
        ? `${isoDay(local)}T${pad(local.getHours())}:${pad(local.getMinutes())}` : "";
      const input = el("input", { type: "datetime-local", id, value });
      return { node: input, read: () => (input.value ? new Date(input.value).toISOString() : null), focus: () => input.focus() };
    }
    if (["ruler", "integer", "plain_int"].includes(kind)) {
      const min = kind === "ruler" ? 0 : spec.minimum;
      const max = kind === "ruler" ? 10 : spec.maximum;
      const input = el("input", { type: "number", id, step: 1, min: min ?? undefined, max: max ?? undefined,
        value: current === null || current === undefined ? "" : String(current) });
      return { node: input, read: () => (input.value === "" ? null : Number(input.value)), focus: () => input.focus() };
    }
    if (kind === "text_list") {
      const area = el("textarea", { id, rows: 4, placeholder: "Eén per regel" });
      area.value = (current || []).join("\n");
      return { node: area, read: () => area.value.split("\n").map((s) => s.trim()).filter(Boolean), focus: () => area.focus() };
    }
    if (kind === "plain_text" || (kind === "text" && spec.key !== undefined && !spec.long)) {
      const input = el("input", { type: "text", id, value: current == null ? "" : String(current), maxlength: 4000 });
      return { node: input, read: () => (input.value.trim() === "" ? null : input.value), focus: () => input.focus() };
    }
    const area = el("textarea", { id, rows: 3, maxlength: 4000 });
    area.value = current == null ? "" : String(current);
    return { node: area, read: () => (area.value.trim() === "" ? null : area.value), focus: () => area.focus() };
  }

  const LONG_ITEM_KEYS = new Set(["description", "why", "explanation", "how_it_could_change", "why_and_how", "own_role",
    "needs", "obstacles", "fallback", "coping", "text"]);

  function newItemId(field) {
    const prefix = field.path === "actions" ? "a-" : field.path === "sections.goals.items" ? "g-" : "i-";
    const random = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID().replace(/-/g, "") : String(Date.now());
    return prefix + random.slice(0, 12);
  }

  C.planFields = { answerText, isEmpty, itemCell, inputFor, newItemId, LONG_ITEM_KEYS };
})();
