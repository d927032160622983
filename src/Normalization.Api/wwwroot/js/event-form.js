// A form for any event type, generated from GET /api/event-types (envelope fields + the type's own fields).
// Used by the what-if panel and the post-event form; API field errors ({path, code, message}) are shown beside the fields.
import { el, replace } from './dom.js';
import { objectArrayFieldset } from './source-fields.js';
import { t, lang, enumLabel, fieldLabel, familyLabel, typeLabel, errorText } from './reader.js';

const SKIPPED_ENVELOPE = new Set(['eventId', 'type']);

/**
 * Builds the fields of `type` into `container`.
 * prefix: unique id prefix; defaults: { occurredOn, actor, target }; parties: codes offered in a datalist.
 * Returns { read(): {event, errors}, showErrors(errors, stripPrefix), clearErrors() }.
 */
export function buildEventForm(container, { prefix, catalog, typeName, defaults = {}, parties = [] }) {
  const type = catalog.types.find((t) => t.name === typeName);
  const envelope = (catalog.envelope || []).filter((f) => !SKIPPED_ENVELOPE.has(f.name));
  const fields = [...envelope, ...(type?.fields || [])];
  const listId = `${prefix}-party-codes`;
  const inputs = new Map();
  const subSlots = new Map(); // sources[i].publisher → {input, error}
  const groups = new Map();   // ObjectArray fields entered as field groups

  const rows = fields.map((f) => {
    if (f.kind === 'ObjectArray' && f.itemFields?.length) {
      const group = objectArrayFieldset(f, `${prefix}-f-${f.name}`, subSlots);
      groups.set(f.name, group);
      return group.node;
    }
    const id = `${prefix}-f-${f.name}`;
    const errId = `${id}-error`;
    const hintId = `${id}-hint`;
    const input = control(f, id, listId, defaults[f.name]);
    input.setAttribute('aria-describedby', `${hintId} ${errId}`);
    input.dataset.field = f.name;
    inputs.set(f.name, { field: f, input, error: null });
    const error = el('span', { id: errId, class: 'field-error', dataset: { errorFor: f.name } });
    inputs.get(f.name).error = error;
    return el('div', { class: 'field', dataset: { fieldName: f.name } },
      el('label', { for: id }, fieldLabel(f.name), f.required ? t('form.required') : ''),
      input,
      hintNode(f, hintId),
      error);
  });
  replace(container, el('datalist', { id: listId }, parties.map((p) => el('option', { value: p }))), el('div', { class: 'controls' }, rows));

  return {
    type,
    read() {
      const event = { type: typeName };
      const errors = [];
      for (const [name, group] of groups) { const { value } = group.read(); if (value) event[name] = value; }
      for (const [name, { field, input }] of inputs) {
        const raw = input.value.trim();
        if (raw === '') continue;
        try { event[name] = parse(field, raw); } catch (e) { errors.push({ path: name, code: 'client_parse', message: e.message }); }
      }
      return { event, errors };
    },
    clearErrors() {
      for (const { input, error } of [...inputs.values(), ...subSlots.values()]) { error.textContent = ''; input.removeAttribute('aria-invalid'); }
    },
    /** Puts each error beside its field; returns the errors that match no field. */
    showErrors(errors, stripPrefix = /^(events|add)\[\d+\]\.?/) {
      const unmatched = [];
      let first = null;
      for (const e of errors) {
        const path = String(e.path || '').replace(stripPrefix, '');
        const name = path.split(/[.[]/)[0];
        const slot = subSlots.get(path) ?? inputs.get(name);
        if (!slot) { unmatched.push(e); continue; }
        slot.error.textContent = (slot.error.textContent ? slot.error.textContent + ' ' : '') + errorText(e);
        slot.input.setAttribute('aria-invalid', 'true');
        first ??= slot.input;
      }
      first?.focus();
      return unmatched;
    },
  };
}

function control(f, id, listId, value) {
  const common = { id, name: f.name };
  switch (f.kind) {
    case 'Enum':
      return el('select', common, el('option', { value: '' }, f.required ? t('form.choose') : t('form.none')),
        (f.enumValues || []).map((v) => el('option', { value: v, selected: v === value }, enumLabel(v))));
    case 'Integer':
      return el('input', { ...common, type: 'number', step: '1', value });
    case 'Number':
      return el('input', { ...common, type: 'number', step: 'any', value });
    case 'ObjectArray':
    case 'Event':
      return el('textarea', { ...common, rows: 3, spellcheck: 'false' }, value ?? '');
    case 'Date':
      return el('input', { ...common, type: 'text', inputmode: 'numeric', placeholder: t('form.datePlaceholder'), autocomplete: 'off', value });
    default: {
      const isParty = /^(actor|target|facilitator|party|by|of|releasedBy)$/.test(f.name) || (f.kind === 'String' && f.maxLength === 16);
      return el('input', { ...common, type: 'text', autocomplete: 'off', list: isParty ? listId : null, value });
    }
  }
}

const KIND_HINTS = { Date: 'form.hintDate', StringArray: 'form.hintList', ObjectArray: 'form.hintObjects', Event: 'form.hintEvent' };

/**
 * The hint under a field: the format of its kind (from the message catalog) and the catalog's description of the field. The
 * description is the API's reference text, in English: in another language it is kept in its own span with lang="en".
 */
function hintNode(f, id) {
  const kind = KIND_HINTS[f.kind] && !f.description?.includes('YYYY') ? t(KIND_HINTS[f.kind]) : '';
  const description = f.description ? el('span', { lang: lang === 'en' ? null : 'en' }, f.description) : '';
  return el('span', { id, class: 'hint' }, description, description && kind ? ' ' : '', kind);
}

function parse(f, raw) {
  switch (f.kind) {
    case 'Integer': {
      const n = Number(raw);
      if (!Number.isInteger(n)) throw new Error(t('form.notInteger', { field: fieldLabel(f.name) }));
      return n;
    }
    case 'Number': {
      const n = Number(raw);
      if (Number.isNaN(n)) throw new Error(t('form.notNumber', { field: fieldLabel(f.name) }));
      return n;
    }
    case 'StringArray':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    case 'ObjectArray':
    case 'Event':
      try { return JSON.parse(raw); } catch { throw new Error(t('form.notJson', { field: fieldLabel(f.name) })); }
    default:
      return raw;
  }
}

/** Fills a <select> with the catalog's types, grouped by family. */
export function fillTypeSelect(select, catalog, selected) {
  const families = new Map();
  for (const t of catalog.types) {
    if (!families.has(t.family)) families.set(t.family, []);
    families.get(t.family).push(t);
  }
  replace(select, [...families].map(([family, types]) =>
    el('optgroup', { label: familyLabel(family) }, types.map((x) => el('option', { value: x.name, selected: x.name === selected }, typeLabel(x.name))))));
}
