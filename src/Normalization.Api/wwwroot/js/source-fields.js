// Sources entered as fields, not JSON: one group of inputs per source (the catalog's item fields — publisher, link, date,
// attribution, quote, original quote and its language), "Add a source" for more. An empty group is left out; the API's
// errors at sources[i].field are shown beside that input.
import { el } from './dom.js';
import { t, lang, fieldLabel } from './reader.js';

/**
 * The fieldset for an ObjectArray field f (its itemFields). slots: a Map that receives `${f.name}[i].${item}` → {input, error}.
 * Returns { node, read() → { value: array|undefined } }.
 */
export function objectArrayFieldset(f, idPrefix, slots) {
  const groups = [];
  const list = el('div', { class: 'source-groups' });
  const addGroup = () => {
    const i = groups.length;
    const inputs = new Map();
    const legend = el('legend', {}, f.name === 'sources' ? t('form.source', { n: i + 1 }) : t('form.item', { name: fieldLabel(f.name), n: i + 1 }));
    const rows = (f.itemFields || []).map((item) => {
      const id = `${idPrefix}-${i}-${item.name}`;
      const error = el('span', { id: `${id}-error`, class: 'field-error' });
      const multiline = item.multiline || item.maxLength > 1000;
      const input = multiline
        ? el('textarea', { id, name: `${f.name}[${i}].${item.name}`, rows: 2, 'aria-describedby': `${id}-hint ${id}-error` })
        : el('input', {
          id, name: `${f.name}[${i}].${item.name}`, autocomplete: 'off', 'aria-describedby': `${id}-hint ${id}-error`,
          type: item.name === 'url' ? 'url' : 'text', placeholder: item.kind === 'Date' ? t('form.datePlaceholder') : null,
          inputmode: item.kind === 'Date' ? 'numeric' : null,
        });
      inputs.set(item.name, input);
      slots.set(`${f.name}[${i}].${item.name}`, { input, error });
      return el('div', { class: 'field' },
        el('label', { for: id }, fieldLabel(item.name), item.required ? t('form.required') : ''), input,
        // The catalog's description is the API's English reference text: lang="en" on another language's page.
        el('span', { id: `${id}-hint`, class: 'hint', lang: lang === 'en' || !item.description ? null : 'en' }, item.description || ''), error);
    });
    groups.push(inputs);
    list.append(el('fieldset', { class: 'source-group', dataset: { index: String(i) } }, legend, el('div', { class: 'controls' }, rows)));
  };
  addGroup();
  const node = el('div', { class: 'field wide-field', dataset: { fieldName: f.name } },
    list, el('button', { type: 'button', class: 'link', onclick: addGroup }, t(f.name === 'sources' ? 'form.addSource' : 'form.addItem')));
  return {
    node,
    read() {
      const items = groups.map((inputs) => Object.fromEntries([...inputs].map(([k, input]) => [k, input.value.trim()]).filter(([, v]) => v !== '')))
        .filter((o) => Object.keys(o).length > 0);
      return { value: items.length ? items : undefined };
    },
  };
}
