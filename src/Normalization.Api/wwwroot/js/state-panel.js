// The state panel: stage, stage since, why (rule and the events behind it, linked to the timeline), momentum, ledger.
import { el, replace } from './dom.js';
import { stageBadge, trendArrow, formatNumber } from './stages.js';

/** A link to an event's row in the timeline: "TalksHeld 2025-03-20". */
export function eventLink(eventId, eventsById, onFollow) {
  const e = eventsById.get(eventId);
  const text = e ? `${e.type} ${e.occurredOn}` : eventId.slice(0, 8);
  return el('a', { href: `#ev-${eventId}`, class: 'event-link', onclick: () => onFollow?.(eventId) }, text);
}

export function renderState(container, state, eventsById, onFollow) {
  const links = (ids) => (ids || []).flatMap((id, i) => [i ? ', ' : '', eventLink(id, eventsById, onFollow)]);
  const why = state.why || {};
  const ledger = state.ledger || {};
  replace(container,
    el('dl', { class: 'kv' },
      el('dt', {}, 'Stage'), el('dd', { id: 'state-stage', dataset: { stage: state.stage } }, stageBadge(state.stage)),
      el('dt', {}, 'Since'), el('dd', { id: 'state-since' }, state.stageSince || 'the start of the record'),
      el('dt', {}, 'Record'), el('dd', { id: 'state-coverage', dataset: { extrapolated: String(!!state.extrapolated) } },
        state.coveredUntil ? `covered until ${state.coveredUntil}` : 'coverage not declared',
        state.extrapolated ? [' — ', el('strong', {}, 'extrapolated'), ': the stage is the rules carried past the record, not a finding'] : []),
      el('dt', {}, 'Why'), el('dd', { id: 'state-why' },
        el('code', {}, why.rule || '—'), ' — ', why.description || '',
        why.eventIds?.length ? [el('br'), 'Events: ', links(why.eventIds)] : []),
      el('dt', {}, 'Momentum'), el('dd', {}, trendArrow(state.momentum), ' ', formatNumber(state.momentum?.score),
        ` (previous ${formatNumber(state.momentum?.previousScore)}, ${state.momentum?.windowDays ?? 90} days)`),
      el('dt', {}, 'Representation'), el('dd', { id: 'state-representation' },
        (state.representation || []).flatMap((r, i) => [i ? '; ' : '', `${r.sender} in ${r.host}: ${levelText(r.level)}`,
          r.eventId ? [' ', links([r.eventId])] : []])),
      state.knownAt ? [el('dt', {}, 'Known at'), el('dd', {}, state.knownAt)] : []),
    el('h3', {}, 'Ledger'),
    ledgerSection('Open demands', groupBy((ledger.demands || []).filter((d) => d.status === 'Open'), 'by'),
      (d) => [`${d.subject} (of ${d.of}, since ${d.madeOn}) `, links(d.eventIds)], true),
    ledgerSection('Pending requests', groupBy((ledger.requests || []).filter((r) => r.status === 'Pending'), 'by'),
      (r) => [`${r.kind}${r.detail ? ': ' + r.detail : ''} (of ${r.of}, ${r.requestedOn}) `, links(r.eventIds)], true),
    ledgerSection('Gestures', ledger.gesturesByParty || {},
      (g) => [`${g.type} ${g.on} `, links([g.eventId])], true),
    ledgerSection('Offices', { '': ledger.offices || [] }, generic),
    ledgerSection('Recognition', { '': ledger.recognition || [] }, generic),
    ledgerSection('Sanctions', { '': ledger.sanctions || [] }, generic),
    el('p', {}, el('strong', {}, 'Relations: '), ledger.relations?.status || 'None'),
    ledgerSection('Representation changes', { '': ledger.representationChanges || [] },
      (c) => [`${c.on} ${c.type}: ${c.sender} in ${c.host} ${levelText(c.from)} → ${levelText(c.to)} `, links([c.eventId])]),
    ledgerSection('Commitments', { '': ledger.commitments || [] }, (c) => [`${c.party}: ${c.text} — ${c.status} `, links(c.eventIds)]),
  );

  function generic(item) {
    const parts = Object.entries(item).filter(([k, v]) => k !== 'eventIds' && k !== 'eventId' && v !== null && typeof v !== 'object').map(([k, v]) => `${k} ${v}`);
    const ids = item.eventIds || (item.eventId ? [item.eventId] : []);
    return [parts.join(', '), ' ', links(ids)];
  }
}

// Correlates of War Diplomatic Exchange levels; null: no event has recorded the level.
function levelText(level) {
  return { None: 'none', ChargeDAffaires: "chargé d'affaires", Minister: 'minister', Ambassador: 'ambassador' }[level] || 'not recorded';
}

function groupBy(items, key) {
  const out = {};
  for (const i of items) (out[i[key]] ||= []).push(i);
  return out;
}

function ledgerSection(title, groups, render, perParty = false) {
  const entries = Object.entries(groups).filter(([, items]) => items.length);
  const count = entries.reduce((n, [, items]) => n + items.length, 0);
  return el('details', { class: 'ledger-section', open: count > 0 && count <= 6 ? true : null },
    el('summary', {}, `${title} (${count})`),
    count === 0 ? el('p', { class: 'muted' }, 'None.') :
      entries.map(([party, items]) => [
        perParty && party ? el('p', {}, el('strong', {}, party)) : null,
        el('ul', { class: 'compact' }, items.map((i) => el('li', {}, render(i)))),
      ]));
}
