// A what-if on the chart, shared by the negotiation page and the embed view: the dashed hypothetical stage line and markers
// drawn from a what-if answer, and the what-if a shared address names (a saved scenario, or the inline changes) run again.
import { api } from './api.js';
import { dateValue, isIsoDay } from './dates.js';

/**
 * The chart's `hypothetical` part for a what-if answer r (POST …/what-if or GET …/scenarios/{name}): the projected stage
 * history from the first change (an added event's date or a removed one's, via eventsById) to the projection date.
 * goldsteinOf(type) places the hypothetical markers. Null when r has no projection.
 */
export function hypotheticalLine(r, { removed = [], eventsById = new Map(), start, asOf, goldsteinOf = () => 0 }) {
  if (!r?.projected) return null;
  const changeDates = [...(r.hypothetical || []).map((h) => dateValue(h.occurredOn)),
    ...[...removed].map((id) => dateValue(eventsById.get(id)?.occurredOn))].filter((x) => !Number.isNaN(x));
  return {
    transitions: r.projected.stageHistory || [],
    from: changeDates.length ? Math.min(...changeDates) : start,
    to: dateValue(r.projectedAt || r.asOf || asOf),
    events: (r.hypothetical || []).map((h) => ({ ...(h.event || {}), type: h.type, occurredOn: h.occurredOn, eventId: h.eventId, goldstein: goldsteinOf(h.type) })),
  };
}

/**
 * Runs the what-if the address names (share.js readView): view.scenario by name (GET, no key), else view.whatIf's inline
 * changes (POST what-if: open on a read-only tracker, else with apiKey). Resolves to the answer, or null when there is none.
 * A refusal rejects with the ApiError.
 */
export function runSharedWhatIf(id, view, { asOf, knownAt, apiKey }) {
  if (view.scenario) return api.scenario(id, view.scenario, asOf, knownAt);
  if (!view.whatIf) return Promise.resolve(null);
  const body = { asOf, add: view.whatIf.add, remove: view.whatIf.remove };
  if (knownAt) body.knownAt = knownAt;
  if (isIsoDay(view.whatIf.projectTo)) body.projectTo = view.whatIf.projectTo;
  return api.whatIf(id, body, apiKey);
}
