// Sentiment labels shown as text and colour (never colour alone).

import {h} from './dom.js';

export const LABELS = {positive: 'Positive', negative: 'Negative', neutral: 'Neutral'};

/** The overall label of shares, as the server's sentiment summary decides: the largest; neutral on a tie. */
export function overall(positive, negative, neutral) {
  if (positive === null || positive === undefined || negative === null || negative === undefined) return null;
  const n = neutral === null || neutral === undefined ? Math.max(0, 100 - positive - negative) : neutral;
  if (positive > negative && positive > n) return 'positive';
  if (negative > positive && negative > n) return 'negative';
  return 'neutral';
}

export function badge(label, extra) {
  if (!label) return h('span', {class: 'muted'}, '—');
  return h('span', {class: `badge badge-${label}`, dataset: {sentiment: label}}, LABELS[label] || label, extra ? ` ${extra}` : null);
}
