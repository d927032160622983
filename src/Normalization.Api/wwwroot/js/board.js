// The board at /: every negotiation, its stage badge (marked extrapolated past its record), stage since, momentum arrow;
// filters by stage, party, title and the shipped library.
import { languageSwitch } from './reader.js';
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
  for (const [code, name] of [...parties].sort()) partySelect.append(el('option', { value: code }, `${name} (${code})`));
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
    el('td', { 'data-label': 'Negotiation' }, el('a', { href: `/negotiations/${encodeURIComponent(n.id)}` }, n.title || n.id)),
    el('td', { 'data-label': 'Parties' }, (n.parties || []).map((p) => p.name || p.code).join(' · ')),
    el('td', { 'data-label': 'Stage' }, stageBadge(n.stage),
      n.extrapolated ? el('span', { class: 'extrapolated', title: `The record ends ${n.coveredUntil}: today's stage is extrapolated` }, ` extrapolated (record ends ${n.coveredUntil})`) : null),
    el('td', { 'data-label': 'Stage since' }, n.stageSince || 'the start'),
    el('td', { 'data-label': 'Momentum' }, trendArrow(n.momentum), ' ', n.momentum ? formatNumber(n.momentum.score) : '—'),
    el('td', { 'data-label': 'Last event' }, n.lastEventOn || '—'))));
  $('board-status').textContent = rows.length === state.items.length
    ? `${rows.length} negotiation${rows.length === 1 ? '' : 's'}.`
    : `${rows.length} of ${state.items.length} negotiations match the filters.`;
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
    $('board-status').textContent = `Could not load the board: ${e.message}`;
  }
}

start();

document.querySelector('header.site').append(languageSwitch());
