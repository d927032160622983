// The summary layer of the chart: one thin bar per period (events of the period: cooperative above the axis,
// conflictual below, height by count) and the momentum series the API computed per period. Drawn from
// GET /api/negotiations/{id}/summary, so the whole record is on the chart whatever its length.
import { svg } from './dom.js';
import { dateValue, DAY_MS } from './dates.js';

/** The momentum line's points [{t, v}] from the summary's periods (at each period's last day, or the summary's end). */
export function summaryMomentum(summary) {
  const through = dateValue(summary.through);
  return (summary.periods || []).map((p) => ({ t: Math.min(dateValue(p.end), through), v: p.momentum }));
}

/** A <g> of bars, one per period with events, between start and end; axis at `axis`, at most `reach` px each way. */
export function periodBars(summary, { x, start, end, axis, reach }) {
  const periods = (summary.periods || []).filter((p) => p.events > 0);
  const max = Math.max(1, ...periods.map((p) => Math.max(p.cooperative, p.conflictual, p.events - p.cooperative - p.conflictual)));
  const g = svg('g', {
    class: 'period-bars', 'aria-hidden': 'true', 'data-bucket': summary.bucket, 'data-periods': String((summary.periods || []).length),
    'data-first': summary.periods?.[0]?.start || '', 'data-last': summary.periods?.at(-1)?.end || '', 'data-events': String(summary.events),
  });
  for (const p of periods) {
    const t0 = dateValue(p.start), t1 = dateValue(p.end) + DAY_MS;
    if (t1 < start || t0 > end) continue;
    const x0 = x(Math.max(t0, start)), w = Math.max(x(Math.min(t1, end)) - x0, 0.8);
    const h = (n) => (n / max) * (reach - 8);
    if (p.cooperative) g.append(svg('rect', { class: 'bar coop', x: x0.toFixed(1), y: (axis - h(p.cooperative)).toFixed(1), width: w.toFixed(1), height: h(p.cooperative).toFixed(1), 'data-start': p.start }));
    if (p.conflictual) g.append(svg('rect', { class: 'bar conf', x: x0.toFixed(1), y: axis.toFixed(1), width: w.toFixed(1), height: h(p.conflictual).toFixed(1), 'data-start': p.start }));
    const other = p.events - p.cooperative - p.conflictual;
    if (other > 0 && !p.cooperative && !p.conflictual) g.append(svg('rect', { class: 'bar neutral', x: x0.toFixed(1), y: (axis - 1).toFixed(1), width: w.toFixed(1), height: 2, 'data-start': p.start }));
  }
  return g;
}
