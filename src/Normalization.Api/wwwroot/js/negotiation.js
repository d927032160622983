// The negotiation page at /negotiations/{id}: chart, time travel, state panel, timeline, what-if, post event.
import { api, ApiError } from './api.js';
import { el, replace } from './dom.js';
import { STAGES, stageBadge, stageLabel } from './stages.js';
import { dateValue, isoDay, todayIso, isIsoDay, DAY_MS } from './dates.js';
import { drawChart } from './chart.js';
import { renderState } from './state-panel.js';
import { renderTimeline, followEvent, dateTime } from './timeline.js';
import { fetchSummary, fetchTimelinePage, fillServerFilters, renderDownloads, renderPager } from './record.js';
import { buildEventForm, fillTypeSelect } from './event-form.js';
import { t, readOnly, zoneLabel, wallToInstant, instantToWall, formatDay, formatDate, formatNumber, formatCount, ruleText, errorText, typeLabel, languageSwitch, lang } from './reader.js';
import { readView, writeView } from './share.js';
import { setupChartDownloads } from './chart-download.js';
import { hypotheticalLine } from './whatif-view.js';
import { linkFeed, showRecentChanges } from './recent-changes.js';

const $ = (id) => document.getElementById(id);
const KEY_STORAGE = 'normalization.apiKey';

const page = {
  id: decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || ''),
  negotiation: null,
  transitions: [],
  events: [],            // the timeline page on screen (the chart's markers)
  eventsById: new Map(),
  summary: null,         // the whole record: stage history, momentum and counts per period
  timeline: { page: 1, total: 0 },
  catalog: null,
  start: 0,
  end: 0,
  asOf: todayIso(),
  knownAt: '',
  zoom: { from: null, to: null },
  whatIf: { add: [], remove: new Set(), result: null },
  stateRequest: 0,
  scenario: null,
};

// ---------- time travel ----------

const dayIndex = (iso) => Math.round((dateValue(iso) - page.start) / DAY_MS);
const dayAt = (index) => isoDay(page.start + index * DAY_MS);

function setAsOf(iso, { fromSlider = false } = {}) {
  if (!isIsoDay(iso)) return;
  page.asOf = iso;
  if (!fromSlider) $('asof-slider').value = String(dayIndex(iso));
  if ($('asof-date').value !== iso) $('asof-date').value = iso;
  $('asof-slider-value').textContent = formatDay(iso);
  $('asof-slider').setAttribute('aria-valuetext', formatDay(iso));
  shareView();
  loadState();
}

// Known-at is entered as a wall-clock time in the reader's zone (reader.js); the API and the address take the instant.
function knownAtInstant() {
  return page.knownAt ? wallToInstant(page.knownAt) : '';
}

function shareView() {
  const w = page.whatIf;
  writeView({
    asOf: page.asOf, knownAt: knownAtInstant(), zoomFrom: $('zoom-from').value, zoomTo: $('zoom-to').value,
    type: $('timeline-type').value, party: $('timeline-party').value, scenario: page.scenario,
    whatIf: w.result && !page.scenario ? { add: w.add, remove: [...w.remove], projectTo: $('whatif-project-to').value } : null,
  });
}

async function loadState() {
  const ticket = ++page.stateRequest;
  const body = $('state-body');
  body.setAttribute('aria-busy', 'true');
  try {
    const state = await api.state(page.id, page.asOf, knownAtInstant());
    if (ticket !== page.stateRequest) return; // a newer request is on its way
    replace($('state-asof'), el('time', { datetime: page.asOf }, formatDay(page.asOf)));
    renderState(body, state, page.eventsById, followEvent);
  } catch (e) {
    if (ticket !== page.stateRequest) return;
    replace(body, el('p', { class: 'form-error' }, t('state.loadFailed', { message: e.message })));
  } finally {
    if (ticket === page.stateRequest) body.removeAttribute('aria-busy');
  }
  redraw();
}

// ---------- chart and table view ----------

function redraw() {
  const from = page.zoom.from ?? page.start;
  const to = page.zoom.to ?? page.end;
  const hypothetical = hypotheticalLine(page.whatIf.result, {
    removed: page.whatIf.remove, eventsById: page.eventsById, start: page.start, asOf: page.asOf, goldsteinOf,
  });
  drawChart($('chart'), $('chart-tooltip'), {
    transitions: page.transitions, events: page.events, summary: page.summary, asOf: dateValue(page.asOf), start: from, end: to, hypothetical, onMarker: followEvent,
    coveredUntil: page.negotiation?.coveredUntil ? dateValue(page.negotiation.coveredUntil) : null,
  });
}

const goldsteinOf = (type) => page.catalog?.types.find((t) => t.name === type)?.goldstein ?? 0;

function renderTransitionsTable() {
  replace($('transitions-table').tBodies[0], page.transitions.map((tr) => el('tr', {},
    el('td', { 'data-label': t('col.on') }, tr.on ? dateTime(tr.on) : t('transition.start')),
    el('td', { 'data-label': t('col.from') }, tr.from ? stageBadge(tr.from) : '—'),
    el('td', { 'data-label': t('col.to') }, stageBadge(tr.to)),
    el('td', { 'data-label': t('col.rule') }, el('code', {}, tr.rule || ''), tr.description ? ` — ${ruleText(tr.rule, tr.description)}` : ''),
    el('td', { 'data-label': t('col.events') }, (tr.eventIds || []).flatMap((id, i) => {
      const e = page.eventsById.get(id);
      return [i ? ', ' : '', el('a', { href: `#ev-${id}`, onclick: () => followEvent(id) }, e ? `${typeLabel(e.type)} ${formatDate(e.occurredOn)}` : id.slice(0, 8))];
    })))));
}

async function loadStages() {
  const stages = await api.stages(page.id, knownAtInstant());
  page.transitions = stages.transitions || [];
  renderTransitionsTable();
}

// ---------- timeline ----------

function showTimeline() {
  renderTimeline(page.events, { removed: page.whatIf.remove, onRemove: toggleRemove });
  const filtered = timelineFilters().type || timelineFilters().actor;
  $('timeline-status').textContent = filtered
    ? t('timeline.countFiltered', { shown: formatCount(page.timeline.total), total: formatCount(page.summary?.events ?? page.timeline.total) })
    : t('timeline.count', { count: formatCount(page.timeline.total) });
  renderPager($('timeline-pager'), page.timeline, (n) => loadTimelinePage(n));
  renderDownloads($('timeline-downloads'), page.id, timelineFilters(), knownAtInstant());
}

const timelineFilters = () => ({ type: $('timeline-type').value, actor: $('timeline-party').value });

/** Loads one page of the (filtered) timeline from the API: the table and the chart's markers show it. */
async function loadTimelinePage(n) {
  const body = await fetchTimelinePage(page.id, n, timelineFilters(), knownAtInstant());
  setTimelinePage(body);
  showTimeline();
  redraw();
}

function setTimelinePage(body) {
  page.events = body.items || [];
  page.eventsById = new Map(page.events.map((e) => [e.eventId, e]));
  page.timeline = { page: body.page, total: body.total };
}

async function loadSummary() {
  page.summary = await fetchSummary(page.id, knownAtInstant());
}

function toggleRemove(eventId) {
  if (page.whatIf.remove.has(eventId)) page.whatIf.remove.delete(eventId); else page.whatIf.remove.add(eventId);
  showTimeline();
  renderChanges();
  $(`ev-${eventId}`)?.querySelector('button')?.focus();
}

// ---------- API key ----------

const apiKey = () => ($('api-key')?.value || '').trim();
function setupKey() {
  $('api-key').value = sessionStorage.getItem(KEY_STORAGE) || '';
  $('api-key').addEventListener('change', () => {
    if (apiKey()) sessionStorage.setItem(KEY_STORAGE, apiKey()); else sessionStorage.removeItem(KEY_STORAGE);
    $('api-key-error').textContent = '';
    $('api-key').removeAttribute('aria-invalid');
  });
  $('api-key-forget').addEventListener('click', () => { sessionStorage.removeItem(KEY_STORAGE); $('api-key').value = ''; });
}
function keyProblem(e) {
  if (e instanceof ApiError && e.status === 401) {
    $('api-key-error').textContent = e.problem.code === 'api_key_missing' ? t('key.missing') : t('key.invalid');
    $('api-key').setAttribute('aria-invalid', 'true');
    return true;
  }
  return false;
}

// ---------- what-if ----------

let whatIfForm = null;
const partyCodes = () => [...new Set([...(page.negotiation.parties || []), ...(page.negotiation.mediators || [])].map((p) => p.code))];

function buildWhatIfForm() {
  const typeName = $('whatif-type').value;
  const parties = page.negotiation.parties || [];
  whatIfForm = buildEventForm($('whatif-fields'), {
    prefix: 'whatif', catalog: page.catalog, typeName, parties: partyCodes(),
    defaults: { occurredOn: page.asOf, actor: parties[1]?.code, target: parties[0]?.code, confidence: 'Confirmed' },
  });
  // The catalog's meaning and stage effect are the API's reference text (English): marked so, for screen readers.
  $('whatif-type-meaning').textContent = whatIfForm.type ? `${whatIfForm.type.meaning} ${whatIfForm.type.stageEffect || ''}` : '';
  if (lang !== 'en') $('whatif-type-meaning').lang = 'en';
}

function renderChanges() {
  const items = [
    ...page.whatIf.add.map((e, i) => el('li', { dataset: { type: e.type, occurredOn: e.occurredOn || '' } }, el('span', { class: 'pill' }, t('whatif.addPill')),
      ` ${typeLabel(e.type)} `, e.occurredOn ? dateTime(e.occurredOn) : '', ` ${e.actor || ''}${e.target ? ' → ' + e.target : ''} `,
      el('button', { type: 'button', class: 'link', onclick: () => { page.whatIf.add.splice(i, 1); renderChanges(); } }, t('whatif.undo'), el('span', { class: 'visually-hidden' }, t('whatif.undoAdding', { type: typeLabel(e.type) }))))),
    ...[...page.whatIf.remove].map((id) => {
      const e = page.eventsById.get(id);
      return el('li', { dataset: { removed: id } }, el('span', { class: 'pill' }, t('whatif.removePill')), ' ', e ? [typeLabel(e.type), ' ', dateTime(e.occurredOn)] : id, ' ',
        el('button', { type: 'button', class: 'link', onclick: () => toggleRemove(id) }, t('whatif.undo'), el('span', { class: 'visually-hidden' }, t('whatif.undoRemoving', { type: e ? typeLabel(e.type) : id }))));
    }),
  ];
  replace($('whatif-changes'), items.length ? items : el('li', { class: 'muted' }, t('whatif.noChanges')));
}

async function runWhatIf() {
  const out = $('whatif-result');
  const body = { asOf: page.asOf, add: page.whatIf.add, remove: [...page.whatIf.remove] };
  if (page.knownAt) body.knownAt = knownAtInstant();
  if (isIsoDay($('whatif-project-to').value)) body.projectTo = $('whatif-project-to').value;
  replace(out, el('p', {}, t('whatif.projecting')));
  try {
    const r = await api.whatIf(page.id, body, apiKey());
    page.whatIf.result = r;
    page.scenario = null;
    renderWhatIfResult(r);
    shareView();
  } catch (e) {
    page.whatIf.result = null;
    if (keyProblem(e)) replace(out, el('p', { class: 'form-error' }, t('whatif.needsKey')));
    else if (e instanceof ApiError && (e.status === 405 || (e.status === 404 && e.problem.code !== 'negotiation_not_found' && e.problem.code !== 'not_known_then')))
      replace(out, el('p', { class: 'form-error', id: 'whatif-unavailable' }, t('whatif.unavailable', { id: '{id}' })));
    else replace(out, el('div', { class: 'form-error' }, el('p', {}, t('whatif.refused', { message: e.message })),
      el('ul', {}, (e.errors || []).map((x) => el('li', {}, `${x.path}: ${errorText(x)}`)))));
  }
  redraw();
}

function renderWhatIfResult(r) {
  const c = r.comparison || {};
  const before = c.stageBefore ?? r.baseline?.stage;
  const after = c.stageAfter ?? r.projected?.stage ?? r.stage;
  const since = (date) => t('whatif.since', { date: date ? formatDate(date) : t('whatif.theStart') });
  const transitions = (list) => (list || []).map((x) => el('li', {},
    t('whatif.transition', { on: x.on ? formatDate(x.on) : t('whatif.start'), from: stageLabel(x.from), to: stageLabel(x.to), rule: x.rule })));
  const projectedTo = r.projectedAt || r.asOf || page.asOf;
  replace($('whatif-result'),
    el('dl', { class: 'kv comparison' },
      el('dt', {}, t('whatif.projected')), el('dd', { id: 'whatif-projected', dataset: { stage: after } }, stageBadge(after), since(c.stageSinceAfter ?? r.stageSince)),
      el('dt', {}, t('whatif.without')), el('dd', { id: 'whatif-baseline', dataset: { stage: before } }, stageBadge(before), since(c.stageSinceBefore ?? r.baseline?.stageSince)),
      el('dt', {}, t('whatif.projectedTo')), el('dd', {}, dateTime(projectedTo)),
      c.momentum ? [el('dt', {}, t('whatif.momentum')), el('dd', {}, `${formatNumber(c.momentum.before)} → ${formatNumber(c.momentum.after)} (${c.momentum.delta >= 0 ? '+' : ''}${formatNumber(c.momentum.delta)})`)] : []),
    c.transitionsAppeared?.length ? [el('h3', {}, t('whatif.appear')), el('ul', { class: 'compact' }, transitions(c.transitionsAppeared))] : [],
    c.transitionsVanished?.length ? [el('h3', {}, t('whatif.vanish')), el('ul', { class: 'compact' }, transitions(c.transitionsVanished))] : [],
    c.ledgerChanges?.length ? [el('h3', {}, t('whatif.ledger')), el('ul', { class: 'compact' },
      c.ledgerChanges.map((l) => el('li', {}, `${l.kind} ${l.key}: ${l.before ?? t('whatif.noValue')} → ${l.after ?? t('whatif.noValue')}`)))] : [],
    el('p', { class: 'muted' }, t('whatif.nothingStored')));
}

function setupWhatIf() {
  fillTypeSelect($('whatif-type'), page.catalog, 'TalksHeld');
  $('whatif-type').addEventListener('change', buildWhatIfForm);
  buildWhatIfForm();
  $('whatif-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    whatIfForm.clearErrors();
    const { event, errors } = whatIfForm.read();
    if (errors.length) { whatIfForm.showErrors(errors); return; }
    page.whatIf.add.push(event);
    renderChanges();
  });
  $('whatif-project-to').value = todayIso();
  $('whatif-run').addEventListener('click', runWhatIf);
  $('whatif-clear').addEventListener('click', () => {
    page.whatIf = { add: [], remove: new Set(), result: null };
    page.scenario = null;
    shareView();
    replace($('whatif-result'));
    renderChanges();
    showTimeline();
    redraw();
  });
  renderChanges();
}

/** A shared link's what-if: a saved scenario by name, or the inline changes, run again as the link's reader sees it. */
async function restoreWhatIf(view) {
  if (view.scenario) {
    try {
      const r = await api.scenario(page.id, view.scenario, page.asOf, knownAtInstant());
      page.scenario = view.scenario;
      page.whatIf.result = r;
      renderWhatIfResult(r);
      $('whatif-result').prepend(el('p', {}, t('scenario.loaded', { name: view.scenario })));
      redraw();
    } catch (e) { replace($('whatif-result'), el('p', { class: 'form-error' }, e.message)); }
  } else if (view.whatIf) {
    page.whatIf.add = view.whatIf.add;
    page.whatIf.remove = new Set(view.whatIf.remove.filter((id) => page.eventsById.has(id)));
    if (isIsoDay(view.whatIf.projectTo)) $('whatif-project-to').value = view.whatIf.projectTo;
    renderChanges();
    showTimeline();
    await runWhatIf();
  }
}

// ---------- post event ----------

let postForm = null;
function buildPostForm() {
  const parties = page.negotiation.parties || [];
  postForm = buildEventForm($('post-fields'), {
    prefix: 'post', catalog: page.catalog, typeName: $('post-type').value, parties: partyCodes(),
    defaults: { occurredOn: todayIso(), actor: parties[0]?.code, target: parties[1]?.code, confidence: 'Reported' },
  });
}

function setupPost() {
  fillTypeSelect($('post-type'), page.catalog, 'StatementIssued');
  $('post-type').addEventListener('change', buildPostForm);
  buildPostForm();
  $('post-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const status = $('post-status');
    postForm.clearErrors();
    status.textContent = '';
    const { event, errors } = postForm.read();
    if (errors.length) { postForm.showErrors(errors); return; }
    if (!apiKey()) { $('api-key-error').textContent = t('key.missing'); $('api-key').setAttribute('aria-invalid', 'true'); $('api-key').focus(); return; }
    try {
      const r = await api.postEvents(page.id, [event], apiKey());
      status.textContent = r.stageChanged
        ? t('post.storedChanged', { version: r.version, stage: stageLabel(r.stage), previous: stageLabel(r.previousStage) })
        : t('post.stored', { version: r.version, stage: stageLabel(r.stage) });
      await reloadRecord();
    } catch (e) {
      if (keyProblem(e)) { status.textContent = t('key.refused'); $('api-key').focus(); return; }
      const rest = postForm.showErrors(e.errors || []);
      status.textContent = t('post.notStored', { message: e.message });
      if (rest.length) status.append(el('ul', { class: 'form-error' }, rest.map((x) => el('li', {}, `${x.path}: ${errorText(x)}`))));
    }
  });
}

// ---------- loading ----------

async function reloadRecord() {
  const [negotiation, timeline] = await Promise.all([api.negotiation(page.id), fetchTimelinePage(page.id, page.timeline.page, timelineFilters(), knownAtInstant()), loadSummary()]);
  page.negotiation = negotiation;
  setTimelinePage(timeline);
  replace($('current-stage'), stageBadge(negotiation.stage));
  await loadStages();
  showTimeline();
  await loadState();
}

function setupTimeTravel() {
  const slider = $('asof-slider');
  slider.min = '0';
  slider.max = String(dayIndex(isoDay(page.end)));
  let timer = 0;
  slider.addEventListener('input', () => {
    const iso = dayAt(Number(slider.value));
    $('asof-date').value = iso;
    $('asof-slider-value').textContent = formatDay(iso);
    clearTimeout(timer);
    timer = setTimeout(() => setAsOf(iso, { fromSlider: true }), 120);
  });
  $('asof-date').min = isoDay(page.start);
  $('asof-date').addEventListener('change', () => setAsOf($('asof-date').value));
  $('asof-today').addEventListener('click', () => setAsOf(todayIso()));
  $('known-at').addEventListener('change', async () => {
    page.knownAt = $('known-at').value ? ($('known-at').value.length === 16 ? $('known-at').value + ':00' : $('known-at').value) : '';
    // The timeline (and its downloads) show the record as known then, like the stages and the chart.
    try { await Promise.all([loadStages(), loadSummary(), loadTimelinePage(1)]); } catch (e) { $('page-status').textContent = t('knownAt.failed', { message: e.message }); }
    setAsOf(page.asOf);
  });
  $('asof-form').addEventListener('submit', (e) => e.preventDefault());
}

function setupZoom() {
  const apply = () => {
    const f = $('zoom-from').value, t = $('zoom-to').value;
    page.zoom.from = isIsoDay(f) ? dateValue(f) : null;
    page.zoom.to = isIsoDay(t) ? dateValue(t) : null;
    if (page.zoom.from !== null && page.zoom.to !== null && page.zoom.from >= page.zoom.to) page.zoom.to = null;
    redraw();
  };
  $('zoom-form').addEventListener('change', shareView);
  $('zoom-from').addEventListener('change', apply);
  $('zoom-to').addEventListener('change', apply);
  $('zoom-reset').addEventListener('click', () => { $('zoom-from').value = ''; $('zoom-to').value = ''; apply(); });
  $('zoom-form').addEventListener('submit', (e) => e.preventDefault());
}

function legend() {
  replace($('chart-legend'),
    STAGES.map((s) => el('span', {}, el('span', { class: `legend-swatch stage-${s}`, 'aria-hidden': 'true' }), stageLabel(s))),
    el('span', {}, t('legend.markers')),
    el('span', {}, t('legend.bars')),
    el('span', {}, t('legend.momentum')),
    el('span', {}, t('legend.whatif')));
}

async function start() {
  try {
    const [negotiation, timeline, catalog] = await Promise.all([api.negotiation(page.id), fetchTimelinePage(page.id, 1, {}), api.eventTypes(), loadSummary()]);
    page.negotiation = negotiation;
    page.catalog = catalog;
    setTimelinePage(timeline);
    document.title = t('page.docTitle', { title: negotiation.title || negotiation.id });
    $('title').textContent = negotiation.title || negotiation.id;
    replace($('current-stage'), stageBadge(negotiation.stage));
    const feed = `/api/negotiations/${encodeURIComponent(page.id)}/feed.atom`;
    linkFeed(feed, `${negotiation.title || negotiation.id}: stage changes`);
    $('feed-link').href = feed;
    showRecentChanges($('recent-changes'), feed);

    // The whole record's span from the summary (the timeline holds one page of it).
    const first = Math.min(page.summary?.firstEventOn ? dateValue(page.summary.firstEventOn) : Infinity, dateValue(todayIso()));
    page.start = first - 90 * DAY_MS;
    page.end = Math.max(dateValue(todayIso()), page.summary?.through ? dateValue(page.summary.through) : 0);

    const view = readView();
    if (view.knownAt && !Number.isNaN(Date.parse(view.knownAt))) { page.knownAt = instantToWall(view.knownAt); $('known-at').value = page.knownAt; }
    $('known-at-hint').textContent = t('knownAt.zone', { zone: zoneLabel() });
    document.querySelector('header.site').append(languageSwitch());
    if (readOnly) {
      // A public tracker: no key, no write form; what-if stays (it stores nothing and is open there).
      $('key-panel').remove();
      $('post-panel').remove();
      $('page-status').textContent = t('readOnly.notice');
    }
    if (isIsoDay(view.zoomFrom)) $('zoom-from').value = view.zoomFrom;
    if (isIsoDay(view.zoomTo)) $('zoom-to').value = view.zoomTo;
    legend();
    if (!readOnly) setupKey();
    setupTimeTravel();
    setupZoom();
    fillServerFilters(catalog, negotiation);
    if (view.type) $('timeline-type').value = view.type;
    if (view.party) $('timeline-party').value = view.party;
    $('timeline-filters').addEventListener('input', () => {
      shareView();
      loadTimelinePage(1).catch((e) => { $('timeline-status').textContent = t('timeline.loadFailed', { message: e.message }); });
    });
    $('timeline-filters').addEventListener('submit', (e) => e.preventDefault());
    // A shared view with a known-at instant: the first page again, as the record stood then.
    if (page.knownAt) setTimelinePage(await fetchTimelinePage(page.id, 1, timelineFilters(), knownAtInstant()));
    showTimeline();
    await loadStages();
    setupWhatIf();
    if (!readOnly) setupPost();
    setupChartDownloads($('chart-downloads'), $('chart'), page.id);
    $('zoom-from').dispatchEvent(new Event('change'));
    setAsOf(isIsoDay(view.asOf) ? view.asOf : todayIso());
    await restoreWhatIf(view);
    document.body.dataset.ready = 'true';
  } catch (e) {
    $('page-status').textContent = e instanceof ApiError && e.status === 404
      ? t('page.notFound', { id: page.id }) : t('page.loadFailed', { message: e.message });
  }
}

start();
