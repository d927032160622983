// Stages, in order from conflict to full relations; their colours live in css/site.css (--stage-*).
import { t, formatNumber } from './reader.js';
export const STAGES = ['Hostility', 'Estrangement', 'Exploratory', 'ConfidenceBuilding', 'Representation', 'Recognition', 'FullRelations'];

const LABELS = {
  Hostility: 'Hostility', Estrangement: 'Estrangement', Exploratory: 'Exploratory', ConfidenceBuilding: 'Confidence building',
  Representation: 'Representation', Recognition: 'Recognition', FullRelations: 'Full relations',
};

export const stageLabel = (stage) => (LABELS[stage] ? t(`stage.${stage}`, {}, LABELS[stage]) : stage || '—');
export const stageIndex = (stage) => STAGES.indexOf(stage);

/** A coloured badge; data-stage carries the machine name (tests and styles read it). */
export function stageBadge(stage) {
  const span = document.createElement('span');
  span.className = `badge stage-${stage}`;
  span.dataset.stage = stage;
  span.textContent = stageLabel(stage);
  return span;
}

const ARROWS = { Improving: '▲', Stable: '▶', Deteriorating: '▼' };

/** The momentum trend as an arrow with a text alternative. */
export function trendArrow(momentum) {
  const span = document.createElement('span');
  const trend = momentum?.trend || 'Stable';
  span.className = `trend trend-${trend}`;
  span.textContent = ARROWS[trend] || '';
  span.setAttribute('role', 'img');
  const label = momentum
    ? t('trend.score', { trend: t(`trend.${trend}`, {}, trend), score: formatNumber(momentum.score), previous: formatNumber(momentum.previousScore) })
    : t(`trend.${trend}`, {}, trend);
  span.setAttribute('aria-label', label);
  span.title = label;
  return span;
}

// Numbers go through Intl in the reader's language (reader.js); re-exported here for the modules that import it from stages.js.
export { formatNumber };
