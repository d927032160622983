// Stages, in order from conflict to full relations; their colours live in css/site.css (--stage-*).
import { t } from './reader.js';
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
  const score = momentum ? ` (score ${fmt(momentum.score)}, previous ${fmt(momentum.previousScore)})` : '';
  span.setAttribute('aria-label', `${trend}${score}`);
  span.title = `${trend}${score}`;
  return span;
}

const fmt = (n) => (typeof n === 'number' ? (Math.round(n * 10) / 10).toString() : '—');
export { fmt as formatNumber };
