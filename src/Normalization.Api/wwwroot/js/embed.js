// The embed view at /embed/{id}: the stage-over-time chart alone, for a publisher's article (framed only by the origins in
// Normalization:Embed:FrameAncestors). The address takes the same view parameters as the full page (asOf, knownAt, zoomFrom,
// zoomTo, lang, tz) and its what-if — scenario=name (a saved scenario) or whatIf= (inline changes) — which is projected again
// and drawn as the dashed hypothetical line, as on the full page; the link under the chart opens the full page on that view.
import { t, formatDay, readOnly } from './reader.js';
import { api, ApiError } from './api.js';
import { el, replace } from './dom.js';
import { STAGES, stageBadge, stageLabel } from './stages.js';
import { dateValue, isoDay, todayIso, isIsoDay, DAY_MS } from './dates.js';
import { drawChart } from './chart.js';
import { readView } from './share.js';
import { setupChartDownloads } from './chart-download.js';
import { hypotheticalLine, runSharedWhatIf } from './whatif-view.js';

const $ = (id) => document.getElementById(id);
const id = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
// The full page's key, when this tab has one (a read-write tracker's staff previewing an embed); a reader has none.
const KEY_STORAGE = 'normalization.apiKey';

/** The what-if of the address, run again; its caption under the title. Null (and a message) when it cannot be run. */
async function whatIfOf(view, asOf, knownAt) {
  if (!view.scenario && !view.whatIf) return null;
  try {
    const r = await runSharedWhatIf(id, view, { asOf, knownAt, apiKey: readOnly ? '' : sessionStorage.getItem(KEY_STORAGE) || '' });
    const c = r.comparison || {};
    const after = c.stageAfter ?? r.projected?.stage ?? r.stage;
    const before = c.stageBefore ?? r.baseline?.stage;
    replace($('embed-whatif'), view.scenario ? [t('scenario.loaded', { name: view.scenario }), ' '] : '',
      t('embed.whatIf'), ' ', stageBadge(after), ' ', t('embed.whatIfWithout'), ' ', stageBadge(before));
    $('embed-whatif').dataset.stage = after;
    $('embed-whatif').hidden = false;
    return r;
  } catch (e) {
    $('embed-status').textContent = e instanceof ApiError && e.status === 401 ? t('embed.whatIfNeedsKey') : t('whatif.refused', { message: e.message });
    return null;
  }
}

async function start() {
  const view = readView();
  try {
    const knownAt = view.knownAt && !Number.isNaN(Date.parse(view.knownAt)) ? view.knownAt : '';
    const hasWhatIf = !!(view.scenario || view.whatIf);
    const [negotiation, stages, timeline, catalog] = await Promise.all([api.negotiation(id), api.stages(id, knownAt), api.timeline(id),
      hasWhatIf ? api.eventTypes() : null]);
    const events = timeline.items || [];
    const asOf = isIsoDay(view.asOf) ? view.asOf : todayIso();
    const first = Math.min(...events.map((e) => dateValue(e.occurredOn)).filter((x) => !Number.isNaN(x)), dateValue(todayIso()));
    const start = isIsoDay(view.zoomFrom) ? dateValue(view.zoomFrom) : first - 90 * DAY_MS;
    const end = isIsoDay(view.zoomTo) ? dateValue(view.zoomTo) : dateValue(todayIso());
    document.title = t('embed.title', { title: negotiation.title || id, date: formatDay(asOf) });
    $('title').textContent = negotiation.title || id;
    replace($('chart-legend'), STAGES.map((s) => el('span', {}, el('span', { class: `legend-swatch stage-${s}`, 'aria-hidden': 'true' }), stageLabel(s))));
    const r = await whatIfOf(view, asOf, knownAt);
    const eventsById = new Map(events.map((e) => [e.eventId, e]));
    const goldsteinOf = (type) => catalog?.types.find((x) => x.name === type)?.goldstein ?? 0;
    drawChart($('chart'), $('chart-tooltip'), {
      transitions: stages.transitions || [], events, asOf: dateValue(asOf), start, end: Math.max(end, start + DAY_MS),
      hypothetical: hypotheticalLine(r, { removed: view.whatIf?.remove || [], eventsById, start, asOf, goldsteinOf }),
      onMarker: () => {},
    });
    const full = new URLSearchParams(location.search);
    $('full-page').href = `/negotiations/${encodeURIComponent(id)}?${full}`;
    setupChartDownloads($('chart-downloads'), $('chart'), `${id}-${isoDay(dateValue(asOf))}`);
    document.body.dataset.ready = 'true';
  } catch (e) {
    $('embed-status').textContent = e.message;
  }
}

start();
