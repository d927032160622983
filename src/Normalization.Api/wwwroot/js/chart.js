// The stage-over-time chart, hand-drawn SVG: coloured stage bands and a step line (top), event markers above
// (cooperative) or below (conflictual) the axis sized by |Goldstein| with retracted ones hollow, the 90-day momentum
// line, the as-of marker, the dashed hypothetical stage line of a what-if, and the hatched projected part after the
// day the record is covered until.
import { svg, el, replace } from './dom.js';
import { STAGES, stageIndex, stageLabel } from './stages.js';
import { t, formatNumber, formatDate, formatMonth, enumLabel, typeLabel } from './reader.js';
import { dateValue, isoDay, DAY_MS } from './dates.js';
import { summaryMomentum, periodBars } from './chart-summary.js';

const W = 1000, H = 360;
const M = { left: 130, right: 16 };
const STAGE_TOP = 12, LEVEL = 22, STAGE_BOTTOM = STAGE_TOP + LEVEL * STAGES.length; // 166
const AXIS = 262, REACH = 70;                                                        // event panel: AXIS ± REACH
const TICKS_Y = H - 12;

/** The 90-day momentum: the sum of the Goldstein weights of the active events of the last 90 days, sampled weekly. */
export function momentumSeries(events, from, to, days = 90) {
  const active = events.filter((e) => e.status !== 'retracted' && typeof e.goldstein === 'number')
    .map((e) => ({ t: dateValue(e.occurredOn), g: e.goldstein }));
  const points = [];
  for (let t = from; t <= to + 1; t += 7 * DAY_MS) {
    const sum = active.filter((e) => e.t <= t && e.t > t - days * DAY_MS).reduce((s, e) => s + e.g, 0);
    points.push({ t: Math.min(t, to), v: sum });
  }
  return points;
}

/** Step segments [{from, to, stage}] of a stage history between start and end. */
export function segments(transitions, start, end) {
  const sorted = [...transitions].sort((a, b) => (a.on ? dateValue(a.on) : -Infinity) - (b.on ? dateValue(b.on) : -Infinity));
  const out = [];
  sorted.forEach((t, i) => {
    const from = t.on ? Math.max(dateValue(t.on), start) : start;
    const next = sorted[i + 1]?.on ? dateValue(sorted[i + 1].on) : end;
    const to = Math.min(next, end);
    if (to > from || (i === sorted.length - 1 && to >= from)) out.push({ from, to, stage: t.to });
  });
  return out;
}

/**
 * Draws into `container` (keeps its tooltip element). data: { transitions, events, summary, asOf, start, end,
 * hypothetical: { transitions, from, to, events } | null, onMarker(eventId) }.
 */
export function drawChart(container, tooltip, data) {
  const { start, end } = data;
  const span = Math.max(end - start, DAY_MS);
  const x = (t) => M.left + ((t - start) / span) * (W - M.left - M.right);
  const yStage = (stage) => STAGE_TOP + (STAGES.length - 1 - stageIndex(stage)) * LEVEL + LEVEL / 2;
  const inRange = (t) => t >= start && t <= end;

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc', id: 'stage-chart' });
  root.append(svg('title', { id: 'chart-title' }, t('chart.title')));
  root.append(svg('desc', { id: 'chart-desc' }, t('chart.desc')));
  root.append(svg('defs', {}, svg('clipPath', { id: 'plot-clip' }, svg('rect', { x: M.left, y: 0, width: W - M.left - M.right, height: H })),
    svg('pattern', { id: 'projected-hatch', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      svg('rect', { width: 8, height: 8, fill: 'rgba(255,255,255,0.45)' }),
      svg('line', { x1: 0, y1: 0, x2: 0, y2: 8, stroke: 'rgba(87,96,106,0.35)', 'stroke-width': 2 }))));

  // Stage level labels and guide lines.
  const levels = svg('g', { class: 'axis', 'aria-hidden': 'true' });
  for (const s of STAGES) {
    levels.append(svg('text', { x: M.left - 6, y: yStage(s) + 4, 'text-anchor': 'end' }, stageLabel(s)));
    levels.append(svg('line', { x1: M.left, x2: W - M.right, y1: yStage(s), y2: yStage(s), 'stroke-dasharray': '1 4' }));
  }
  root.append(levels);

  const plot = svg('g', { 'clip-path': 'url(#plot-clip)' });
  root.append(plot);

  // Bands (full height) and the step line of the recorded history.
  const segs = segments(data.transitions, start, end);
  const bands = svg('g', { 'aria-hidden': 'true' });
  for (const s of segs) bands.append(svg('rect', { class: `band band-${s.stage}`, x: x(s.from), y: 0, width: Math.max(x(s.to) - x(s.from), 1), height: AXIS + REACH, 'data-stage': s.stage }));
  plot.append(bands);
  plot.append(svg('path', { class: 'step', d: stepPath(segs, x, yStage), 'data-series': 'recorded' }));

  // After the day the record is covered until the stage is the rules carried forward, not a finding: hatched and labelled.
  if (data.coveredUntil && data.coveredUntil < end) {
    const from = Math.max(data.coveredUntil + DAY_MS, start);
    const projected = svg('g', { class: 'projected', 'data-series': 'projected' },
      svg('title', {}, t('chart.projected', { date: formatDate(isoDay(data.coveredUntil)) })),
      svg('rect', { class: 'projected-band', x: x(from), y: 0, width: Math.max(x(end) - x(from), 1), height: AXIS + REACH }),
      svg('text', { class: 'projected-label', x: x(from) + 4, y: STAGE_BOTTOM + 14 }, t('chart.projectedLabel', { date: formatDate(isoDay(data.coveredUntil)) })));
    plot.append(projected);
  }

  // The what-if: dashed stage line from the first change to the projection date.
  if (data.hypothetical) {
    const h = data.hypothetical;
    const hsegs = segments(h.transitions, Math.max(h.from, start), Math.min(h.to, end));
    plot.append(svg('path', { class: 'step-hypothetical', d: stepPath(hsegs, x, yStage), 'data-series': 'hypothetical' },
      svg('title', {}, t('chart.hypothetical'))));
  }

  // Event panel: axis, momentum, markers.
  plot.append(svg('line', { class: 'zero', x1: M.left, x2: W - M.right, y1: AXIS, y2: AXIS }));
  root.append(svg('text', { x: M.left - 6, y: AXIS - REACH + 10, 'text-anchor': 'end' }, t('chart.cooperative')));
  root.append(svg('text', { x: M.left - 6, y: AXIS + 4, 'text-anchor': 'end' }, t('chart.events')));
  root.append(svg('text', { x: M.left - 6, y: AXIS + REACH - 2, 'text-anchor': 'end' }, t('chart.conflictual')));

  // The summary (the whole record) when the page has it; else the events at hand.
  if (data.summary) plot.append(periodBars(data.summary, { x, start, end, axis: AXIS, reach: REACH }));
  const series = data.summary ? summaryMomentum(data.summary) : momentumSeries(data.events, start, end);
  const maxAbs = Math.max(1, ...series.map((p) => Math.abs(p.v)));
  if (series.length > 1) {
    plot.append(svg('polyline', {
      class: 'momentum', 'data-series': 'momentum', 'aria-hidden': 'true',
      points: series.map((p) => `${x(p.t).toFixed(1)},${(AXIS - (p.v / maxAbs) * (REACH - 6)).toFixed(1)}`).join(' '),
    }));
  }

  const markers = svg('g', { class: 'markers' });
  const all = [...data.events.map((e) => ({ ...e, hypothetical: false })), ...(data.hypothetical?.events || []).map((e) => ({ ...e, hypothetical: true }))];
  for (const e of all) {
    const at = dateValue(e.occurredOn);
    if (!inRange(at)) continue;
    const g = typeof e.goldstein === 'number' ? e.goldstein : 0;
    const r = 3 + Math.abs(g) * 0.7;
    const y = g === 0 ? AXIS : AXIS - Math.sign(g) * (10 + Math.abs(g) * 5.5);
    const kind = e.hypothetical ? 'hypothetical' : g > 0 ? 'coop' : g < 0 ? 'conf' : 'neutral';
    const label = t('chart.marker', { type: e.hypothetical ? t('chart.markerHypothetical', { type: typeLabel(e.type) }) : typeLabel(e.type), date: formatDate(e.occurredOn),
      parties: `${e.actor}${e.target ? ' → ' + e.target : ''}`, weight: formatNumber(g) }) + (e.status === 'retracted' ? t('chart.retracted') : '');
    const c = svg('circle', {
      class: `marker ${kind}${e.status === 'retracted' ? ' retracted' : ''}`, cx: x(at).toFixed(1), cy: y.toFixed(1), r: r.toFixed(1),
      tabindex: e.hypothetical ? null : '0', role: 'img', 'aria-label': label, 'data-event-id': e.eventId || '',
    });
    const show = () => showTooltip(container, tooltip, c, e);
    c.addEventListener('mouseenter', show);
    c.addEventListener('focus', show);
    c.addEventListener('mouseleave', () => { tooltip.hidden = true; });
    c.addEventListener('blur', () => { tooltip.hidden = true; });
    if (!e.hypothetical && data.onMarker) {
      c.addEventListener('click', () => data.onMarker(e.eventId));
      c.addEventListener('keydown', (k) => { if (k.key === 'Enter' || k.key === ' ') { k.preventDefault(); data.onMarker(e.eventId); } });
    }
    markers.append(c);
  }
  plot.append(markers);

  // As-of marker.
  if (data.asOf !== undefined && inRange(data.asOf)) {
    plot.append(svg('line', { class: 'asof', x1: x(data.asOf), x2: x(data.asOf), y1: 0, y2: AXIS + REACH, 'data-series': 'as-of' },
      svg('title', {}, t('chart.asOf', { date: formatDate(isoDay(data.asOf)) }))));
  }

  // Time axis: one tick per year (or per month when zoomed in).
  const axis = svg('g', { class: 'axis', 'aria-hidden': 'true' });
  axis.append(svg('line', { x1: M.left, x2: W - M.right, y1: AXIS + REACH + 4, y2: AXIS + REACH + 4 }));
  for (const tick of ticks(start, end)) {
    axis.append(svg('line', { x1: x(tick.at), x2: x(tick.at), y1: AXIS + REACH + 4, y2: AXIS + REACH + 9 }));
    axis.append(svg('text', { x: x(tick.at), y: TICKS_Y, 'text-anchor': 'middle' }, tick.label));
  }
  root.append(axis);

  replace(container, root, tooltip);
  tooltip.hidden = true;
}

function stepPath(segs, x, y) {
  let d = '';
  segs.forEach((s, i) => {
    d += `${i === 0 ? 'M' : 'L'}${x(s.from).toFixed(1)},${y(s.stage)} L${x(s.to).toFixed(1)},${y(s.stage)} `;
  });
  return d.trim() || 'M0,0';
}

function ticks(start, end) {
  const out = [];
  const years = (end - start) / (365 * DAY_MS);
  const d0 = new Date(start);
  if (years > 2) {
    const step = years > 12 ? 2 : 1;
    for (let y = d0.getUTCFullYear() + 1; Date.UTC(y, 0, 1) <= end; y += step) out.push({ at: Date.UTC(y, 0, 1), label: String(y) });
  } else {
    const step = years > 1 ? 3 : 1;
    for (let m = d0.getUTCMonth() + 1, y = d0.getUTCFullYear(); Date.UTC(y, m, 1) <= end; m += step) {
      const at = Date.UTC(y, m, 1);
      out.push({ at, label: formatMonth(at) });
    }
  }
  return out;
}

function showTooltip(container, tooltip, marker, e) {
  const sources = (e.sources || []).map((s) => s.publisher).filter(Boolean);
  replace(tooltip,
    el('strong', {}, e.hypothetical ? t('chart.markerHypothetical', { type: typeLabel(e.type) }) : typeLabel(e.type)), el('br'),
    `${formatDate(e.occurredOn)} · ${e.actor}${e.target ? ' → ' + e.target : ''}`, el('br'),
    t('chart.goldstein', { weight: formatNumber(e.goldstein), confidence: enumLabel(e.confidence || 'Reported') }),
    e.status && e.status !== 'active' ? ' · ' + t(`status.${e.status}`, {}, e.status) : '',
    sources.length ? [el('br'), t('chart.sources', { list: sources.join('; ') })] : []);
  tooltip.hidden = false;
  const box = container.getBoundingClientRect();
  const m = marker.getBoundingClientRect();
  const left = Math.min(Math.max(0, m.left - box.left + m.width + 8), Math.max(0, box.width - 260));
  tooltip.style.left = `${left}px`;       // CSSOM, not an inline style attribute: allowed by the CSP
  tooltip.style.top = `${Math.max(0, m.top - box.top - 10)}px`;
}
