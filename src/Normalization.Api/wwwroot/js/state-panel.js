// The state panel: stage, stage since, why (rule and the events behind it, linked to the timeline), momentum, ledger.
import { el, replace } from './dom.js';
import { stageBadge, trendArrow } from './stages.js';
import { t, formatNumber, formatDate, formatInstant, ruleText, enumLabel, fieldLabel, typeLabel } from './reader.js';
import { dateTime } from './timeline.js';

/** A link to an event's row in the timeline: "TalksHeld 2025-03-20". */
export function eventLink(eventId, eventsById, onFollow) {
  const e = eventsById.get(eventId);
  const text = e ? `${typeLabel(e.type)} ${formatDate(e.occurredOn)}` : eventId.slice(0, 8);
  return el('a', { href: `#ev-${eventId}`, class: 'event-link', onclick: () => onFollow?.(eventId) }, text);
}

export function renderState(container, state, eventsById, onFollow) {
  const links = (ids) => (ids || []).flatMap((id, i) => [i ? ', ' : '', eventLink(id, eventsById, onFollow)]);
  const why = state.why || {};
  const ledger = state.ledger || {};
  replace(container,
    el('dl', { class: 'kv' },
      el('dt', {}, t('state.stage')), el('dd', { id: 'state-stage', dataset: { stage: state.stage } }, stageBadge(state.stage)),
      el('dt', {}, t('state.since')), el('dd', { id: 'state-since' }, state.stageSince ? dateTime(state.stageSince) : t('state.startOfRecord')),
      el('dt', {}, t('state.record')), el('dd', { id: 'state-coverage', dataset: { extrapolated: String(!!state.extrapolated) } },
        state.coveredUntil ? t('state.coveredUntil', { date: formatDate(state.coveredUntil) }) : t('state.noCoverage'),
        state.extrapolated ? [' — ', el('strong', {}, t('state.extrapolated')), t('state.extrapolatedWhy')] : []),
      el('dt', {}, t('state.why')), el('dd', { id: 'state-why' },
        el('code', {}, why.rule || '—'), ' — ', ruleText(why.rule, why.description),
        why.eventIds?.length ? [el('br'), t('state.events'), links(why.eventIds)] : []),
      el('dt', {}, t('state.momentum')), el('dd', {}, trendArrow(state.momentum), ' ', formatNumber(state.momentum?.score),
        t('state.momentumDetail', { previous: formatNumber(state.momentum?.previousScore), days: state.momentum?.windowDays ?? 90 })),
      el('dt', {}, t('state.representation')), el('dd', { id: 'state-representation' },
        (state.representation || []).flatMap((r, i) => [i ? '; ' : '', t('state.envoy', { sender: r.sender, host: r.host, level: levelText(r.level) }),
          r.eventId ? [' ', links([r.eventId])] : []])),
      state.knownAt ? [el('dt', {}, t('state.knownAt')), el('dd', {}, formatInstant(state.knownAt))] : []),
    el('h3', {}, t('ledger.heading')),
    ledgerSection(t('ledger.demands'), groupBy((ledger.demands || []).filter((d) => d.status === 'Open'), 'by'),
      (d) => [t('ledger.demand', { subject: d.subject, of: d.of, date: formatDate(d.madeOn) }), links(d.eventIds)], true),
    ledgerSection(t('ledger.requests'), groupBy((ledger.requests || []).filter((r) => r.status === 'Pending'), 'by'),
      (r) => [t('ledger.request', { kind: enumLabel(r.kind), detail: r.detail ? ': ' + enumLabel(r.detail) : '', of: r.of, date: formatDate(r.requestedOn) }), links(r.eventIds)], true),
    ledgerSection(t('ledger.gestures'), ledger.gesturesByParty || {},
      (g) => [`${typeLabel(g.type)} ${formatDate(g.on)} `, links([g.eventId])], true),
    ledgerSection(t('ledger.offices'), { '': ledger.offices || [] }, generic),
    ledgerSection(t('ledger.recognition'), { '': ledger.recognition || [] }, generic),
    ledgerSection(t('ledger.sanctions'), { '': ledger.sanctions || [] }, generic),
    el('p', {}, el('strong', {}, t('ledger.relations')), enumLabel(ledger.relations?.status || 'None')),
    ledgerSection(t('ledger.representationChanges'), { '': ledger.representationChanges || [] },
      (c) => [t('ledger.representationChange', { date: formatDate(c.on), type: typeLabel(c.type), sender: c.sender, host: c.host, from: levelText(c.from), to: levelText(c.to) }), links([c.eventId])]),
    ledgerSection(t('ledger.commitments'), { '': ledger.commitments || [] }, (c) => [`${c.party}: `, el('span', { 'data-user': '' }, c.text), ` — ${enumLabel(c.status)} `, links(c.eventIds)]),
  );

  function generic(item) {
    const parts = Object.entries(item).filter(([k, v]) => k !== 'eventIds' && k !== 'eventId' && v !== null && typeof v !== 'object').map(([k, v]) => `${fieldLabel(k)} ${/^\d{4}(-\d{2}){0,2}$/.test(String(v)) ? formatDate(v) : enumLabel(v)}`);
    const ids = item.eventIds || (item.eventId ? [item.eventId] : []);
    return [parts.join(', '), ' ', links(ids)];
  }
}

// Correlates of War Diplomatic Exchange levels; null: no event has recorded the level.
function levelText(level) {
  return level ? t(`level.${level}`, {}, level) : t('level.unknown');
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
    el('summary', {}, t('ledger.count', { title, count })),
    count === 0 ? el('p', { class: 'muted' }, t('ledger.none')) :
      entries.map(([party, items]) => [
        perParty && party ? el('p', {}, el('strong', {}, party)) : null,
        el('ul', { class: 'compact' }, items.map((i) => el('li', {}, render(i)))),
      ]));
}
