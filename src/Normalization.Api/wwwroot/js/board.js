// The board at /: every negotiation, its stage badge (marked extrapolated past its record), stage since, momentum arrow;
// filters by stage, party, title and the shipped library.
import { t, plural, formatCount, formatDate, languageSwitch } from './reader.js';
import { dateTime } from './timeline.js';
import { api } from './api.js';
import { el, replace } from './dom.js';
import { STAGES, stageBadge, stageLabel, trendArrow, formatNumber } from './stages.js';
import { showRecentChanges } from './recent-changes.js';

const state = { items: [] };
const $ = (id) => document.getElementById(id);

function fillFilters(items) {
  const stageSelect = $('filter-stage');
  for (const s of STAGES) stageSelect.append(el('option', { value: s }, stageLabel(s)));
  const parties = new Map();
  for (const n of items) for (const p of n.parties || []) parties.set(p.code, p.name || p.code);
  const partySelect = $('filter-party');
  for (const [code, name] of [...parties].sort()) partySelect.append(el('option', { value: code, 'data-user': '' }, `${name} (${code})`));
  const legend = $('stage-legend');
  for (const s of STAGES) legend.append(el('span', {}, el('span', { class: `legend-swatch stage-${s}`, 'aria-hidden': 'true' }), stageLabel(s)));
}

function render() {
  const stage = $('filter-stage').value;
  const party = $('filter-party').value;
  const text = $('filter-text').value.trim().toLowerCase();
  const library = $('filter-library').checked;
  const rows = state.items
    .filter((n) => !stage || n.stage === stage)
    .filter((n) => !party || (n.parties || []).some((p) => p.code === party))
    .filter((n) => !text || (n.title || n.id).toLowerCase().includes(text))
    .filter((n) => !library || (n.tags || []).includes('library'));
  replace($('board').tBodies[0], rows.map((n) => el('tr', { dataset: { id: n.id } },
    el('td', { 'data-label': t('board.col.negotiation') }, el('a', { href: `/negotiations/${encodeURIComponent(n.id)}`, 'data-user': '' }, n.title || n.id)),
    el('td', { 'data-label': t('board.col.parties') }, el('span', { 'data-user': '' }, (n.parties || []).map((p) => p.name || p.code).join(' · '))),
    el('td', { 'data-label': t('board.col.stage') }, stageBadge(n.stage),
      n.extrapolated ? el('span', { class: 'extrapolated', title: t('board.extrapolatedTitle', { date: formatDate(n.coveredUntil) }) }, t('board.extrapolated', { date: formatDate(n.coveredUntil) })) : null),
    el('td', { 'data-label': t('board.col.since') }, n.stageSince ? dateTime(n.stageSince) : t('board.theStart')),
    el('td', { 'data-label': t('board.col.momentum') }, trendArrow(n.momentum), ' ', n.momentum ? formatNumber(n.momentum.score) : '—'),
    el('td', { 'data-label': t('board.col.last') }, n.lastEventOn ? dateTime(n.lastEventOn) : '—'))));
  $('board-status').textContent = rows.length === state.items.length
    ? plural('board.count', rows.length)
    : t('board.countFiltered', { shown: formatCount(rows.length), total: formatCount(state.items.length) });
}

async function start() {
  try {
    const board = await api.board();
    state.items = board.items || [];
    fillFilters(state.items);
    // /?tag=library opens the board filtered to the shipped library.
    if (new URLSearchParams(location.search).get('tag') === 'library') $('filter-library').checked = true;
    render();
    $('filters').addEventListener('input', render);
    $('filters').addEventListener('submit', (e) => e.preventDefault());
    await showRecentChanges($('recent-changes'), '/api/feed.atom', { limit: 10, withTitle: true });
  } catch (e) {
    $('board-status').textContent = t('board.loadFailed', { message: e.message });
  }
}

start();

document.querySelector('header.site').append(languageSwitch());
