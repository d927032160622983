// The timeline: events in domain order, the date as written, sources as links, confidence, status; filter by type and party.
import { el, replace } from './dom.js';
import { formatNumber } from './stages.js';

export function fillTimelineFilters(items) {
  const types = [...new Set(items.map((i) => i.type))].sort();
  const parties = [...new Set(items.flatMap((i) => [i.actor, i.target]).filter(Boolean))].sort();
  const typeSelect = document.getElementById('timeline-type');
  const partySelect = document.getElementById('timeline-party');
  for (const t of types) typeSelect.append(el('option', { value: t }, t));
  for (const p of parties) partySelect.append(el('option', { value: p }, p));
}

/** Renders the rows; `removed` is the set of eventIds a what-if leaves out; onRemove(eventId) toggles one. */
export function renderTimeline(items, { removed, onRemove }) {
  const type = document.getElementById('timeline-type').value;
  const party = document.getElementById('timeline-party').value;
  const rows = items.filter((i) => (!type || i.type === type) && (!party || i.actor === party || i.target === party));
  replace(document.querySelector('#timeline tbody'), rows.map((i) => {
    const isRemoved = removed.has(i.eventId);
    return el('tr', { id: `ev-${i.eventId}`, class: `${i.status === 'retracted' ? 'retracted' : ''}${isRemoved ? ' removed-in-whatif' : ''}`, tabindex: '-1', dataset: { eventId: i.eventId } },
      el('td', { class: 'date', 'data-label': 'Date' }, i.occurredOn),
      el('td', { 'data-label': 'Type' }, i.type, i.note ? el('div', { class: 'muted note', title: i.note }, i.note.length > 100 ? i.note.slice(0, 97) + '…' : i.note) : null),
      el('td', { 'data-label': 'Actor → target' }, i.actor, i.target ? ` → ${i.target}` : ''),
      el('td', { 'data-label': 'Weight' }, formatNumber(i.goldstein)),
      el('td', { 'data-label': 'Confidence' }, i.confidence),
      el('td', { 'data-label': 'Status' }, el('span', { class: 'pill' }, i.status), i.retractedBy ? ' (retracted)' : '', i.correctedBy ? ' (corrected)' : ''),
      el('td', { 'data-label': 'Sources' }, (i.sources || []).flatMap((s, n) => [n ? '; ' : '',
        s.url && /^https?:\/\//.test(s.url) ? el('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.publisher || s.url) : (s.publisher || '')])),
      el('td', { 'data-label': 'What-if' }, i.status === 'active'
        ? el('button', { type: 'button', class: 'link', 'aria-pressed': isRemoved ? 'true' : 'false', onclick: () => onRemove(i.eventId) },
          isRemoved ? 'Keep' : 'Remove', el('span', { class: 'visually-hidden' }, ` ${i.type} ${i.occurredOn} in the what-if`))
        : ''));
  }));
  document.getElementById('timeline-status').textContent = rows.length === items.length
    ? `${items.length} events.` : `${rows.length} of ${items.length} events match the filters.`;
}

/** Scrolls to an event's row, highlights it and moves focus there. */
export function followEvent(eventId) {
  const row = document.getElementById(`ev-${eventId}`);
  if (!row) return;
  document.querySelectorAll('#timeline tr.highlight').forEach((r) => r.classList.remove('highlight'));
  row.classList.add('highlight');
  row.scrollIntoView({ block: 'center' });
  row.focus({ preventScroll: true });
}
