// The embed view at /embed/{id}: the stage-over-time chart alone, for a publisher's article (framed only by the origins in
// Normalization:Embed:FrameAncestors). The address takes the same view parameters as the full page (asOf, knownAt, zoomFrom,
// zoomTo, lang, tz); the link under the chart opens the full page on that view.
import { t, formatDay } from './reader.js';
import { api } from './api.js';
import { el, replace } from './dom.js';
import { STAGES, stageLabel } from './stages.js';
import { dateValue, isoDay, todayIso, isIsoDay, DAY_MS } from './dates.js';
import { drawChart } from './chart.js';
import { readView } from './share.js';
import { setupChartDownloads } from './chart-download.js';

const $ = (id) => document.getElementById(id);
const id = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');

async function start() {
  const view = readView();
  try {
    const knownAt = view.knownAt && !Number.isNaN(Date.parse(view.knownAt)) ? view.knownAt : '';
    const [negotiation, stages, timeline] = await Promise.all([api.negotiation(id), api.stages(id, knownAt), api.timeline(id)]);
    const events = timeline.items || [];
    const asOf = isIsoDay(view.asOf) ? view.asOf : todayIso();
    const first = Math.min(...events.map((e) => dateValue(e.occurredOn)).filter((x) => !Number.isNaN(x)), dateValue(todayIso()));
    const start = isIsoDay(view.zoomFrom) ? dateValue(view.zoomFrom) : first - 90 * DAY_MS;
    const end = isIsoDay(view.zoomTo) ? dateValue(view.zoomTo) : dateValue(todayIso());
    document.title = `${negotiation.title || id} — ${formatDay(asOf)}`;
    $('title').textContent = negotiation.title || id;
    replace($('chart-legend'), STAGES.map((s) => el('span', {}, el('span', { class: `legend-swatch stage-${s}`, 'aria-hidden': 'true' }), stageLabel(s))));
    drawChart($('chart'), $('chart-tooltip'), {
      transitions: stages.transitions || [], events, asOf: dateValue(asOf), start, end: Math.max(end, start + DAY_MS), hypothetical: null,
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
