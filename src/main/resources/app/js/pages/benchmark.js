// Benchmark: own profiles against competitors in one table and one chart, beside the own,
// competitor and landscape averages.

import {h, fill, field, select} from '../dom.js';
import {get, friendly} from '../api.js';
import {showError} from '../banner.js';
import * as fmt from '../format.js';

export const NAME = 'benchmark';

const WINDOWS = [['7', '7 days'], ['30', '30 days'], ['90', '90 days'], ['365', '1 year']];
const METRICS = [
  ['engagement_rate', 'Engagement rate', (v) => fmt.percent(v), 'ER'],
  ['followers', 'Followers', fmt.count, 'Followers'],
  ['followers_growth_pct', 'Follower growth', (v) => fmt.signedPercent(v, 2), 'Growth'],
  ['posts_per_week', 'Posts per week', (v) => fmt.decimal(v, 1), 'Posts / week'],
  ['net_sentiment', 'Net sentiment', (v) => fmt.signed(v), 'Net sentiment'],
  ['positive_pct', 'Positive comments', (v) => fmt.percent(v, 1), 'Positive'],
  ['negative_pct', 'Negative comments', (v) => fmt.percent(v, 1), 'Negative'],
];
const AVERAGES = [['own_average', 'Own average'], ['competitor_average', 'Competitor average'], ['landscape_average', 'All profiles']];

export async function render(root, params, ctx) {
  const state = {window: '30', metric: 'engagement_rate', data: null};
  const windowSelect = select(WINDOWS, {name: 'window_days'}, state.window);
  const metricSelect = select(METRICS.map(([k, l]) => [k, l]), {name: 'metric', dataset: {testid: 'benchmark-metric'}}, state.metric);
  const table = h('div', {class: 'table-wrap'});
  const chart = h('div', {class: 'bars', dataset: {testid: 'chart-benchmark'}});

  root.replaceChildren(
    h('div', {class: 'page-head'}, h('h1', null, 'Benchmark'),
      h('p', {class: 'lead'}, 'Your profiles against your competitors over the same window. Rank 1 is the best of each column.')),
    h('section', {class: 'card', 'aria-labelledby': 'bench-table-title'},
      h('div', {class: 'section-head'}, h('h2', {id: 'bench-table-title'}, 'All profiles'), field('Window', windowSelect)), table),
    h('section', {class: 'card', 'aria-labelledby': 'bench-chart-title'},
      h('div', {class: 'section-head'}, h('h2', {id: 'bench-chart-title'}, 'Compared'), field('Metric', metricSelect)),
      chart));

  async function load() {
    try {
      const answer = await get('/ig-tracking/benchmark', {window_days: state.window});
      if (!ctx.current()) return;
      state.data = answer.response;
      paint();
    } catch (e) {
      if (ctx.current()) showError(friendly(e, 'loading the benchmark'));
    }
  }

  function paint() {
    const data = state.data;
    const profiles = [...(data.profiles || [])].sort((a, b) => Number(a.is_competitor) - Number(b.is_competitor)
      || (b.followers || 0) - (a.followers || 0));
    if (profiles.length === 0) {
      fill(table, h('p', {class: 'muted', dataset: {testid: 'benchmark-table'}}, 'Track a profile and a competitor to compare them.'));
      fill(chart);
      return;
    }
    const cell = (row, [key, , format], isAverage) => {
      const rank = !isAverage && row.rank ? row.rank[key] : null;
      return h('td', {class: 'num', 'data-label': METRICS.find(([k]) => k === key)[1]},
        h('span', {class: 'cell-value'}, format(row[key]),
          rank ? h('span', {class: rank === 1 ? 'rank rank-1' : 'rank', 'aria-label': `rank ${rank}`}, ` #${rank}`) : null));
    };
    fill(table, h('table', {class: 'table bench-table', dataset: {testid: 'benchmark-table'}},
      h('caption', {class: 'sr-only'}, `Benchmark over ${state.window} days`),
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Profile'), METRICS.map(([, label, , short]) => h('th', {scope: 'col', class: 'num', title: label}, short)))),
      h('tbody', null, profiles.map((p) => h('tr', {dataset: {taskId: p.task_id, competitor: String(p.is_competitor)}},
        h('th', {scope: 'row', 'data-label': 'Profile'}, h('a', {href: `#/profile/${encodeURIComponent(p.task_id)}`}, `@${p.target_profile}`),
          ' ', h('span', {class: p.is_competitor ? 'tag tag-competitor' : 'tag tag-own'}, p.is_competitor ? 'Competitor' : 'Own')),
        METRICS.map((m) => cell(p, m, false))))),
      h('tfoot', null, AVERAGES.map(([key, label]) => {
        const avg = data[key] || {};
        return h('tr', {class: 'average-row', dataset: {average: key}},
          h('th', {scope: 'row', 'data-label': 'Average'}, label, h('span', {class: 'muted small'}, ` (${fmt.count(avg.profiles || 0)})`)),
          METRICS.map((m) => cell(avg, m, true)));
      }))));
    paintChart(profiles);
  }

  function paintChart(profiles) {
    const [key, label, format] = METRICS.find(([k]) => k === state.metric);
    const rows = [
      ...profiles.map((p) => ({name: `@${p.target_profile}`, value: p[key], kind: p.is_competitor ? 'competitor' : 'own'})),
      ...AVERAGES.map(([k, name]) => ({name, value: (state.data[k] || {})[key], kind: 'average'})),
    ];
    const values = rows.map((r) => r.value).filter((v) => v !== null && v !== undefined);
    const lo = Math.min(0, ...values);
    const hi = Math.max(0, ...values, lo + 1e-9);
    const scale = (v) => ((v - lo) / (hi - lo)) * 100;
    chart.dataset.metric = key;
    fill(chart,
      h('p', {class: 'sr-only'}, `${label} of each profile and the averages.`),
      h('ul', {class: 'bar-list'}, rows.map((r) => {
        const bar = h('span', {class: `bar bar-${r.kind}`});
        if (r.value !== null && r.value !== undefined) {
          const from = scale(Math.min(0, r.value));
          const to = scale(Math.max(0, r.value));
          bar.style.left = `${from}%`;
          bar.style.width = `${Math.max(0.5, to - from)}%`;
        } else {
          bar.hidden = true;
        }
        return h('li', {class: `bar-row bar-row-${r.kind}`},
          h('span', {class: 'bar-name'}, r.name),
          h('span', {class: 'bar-track'}, bar),
          h('span', {class: 'bar-value'}, format(r.value)));
      })),
      h('p', {class: 'legend small'}, h('span', {class: 'key key-own'}), ' Own ', h('span', {class: 'key key-competitor'}), ' Competitor ',
        h('span', {class: 'key key-average'}), ' Average'));
  }

  windowSelect.addEventListener('change', () => {
    state.window = windowSelect.value;
    load();
  });
  metricSelect.addEventListener('change', () => {
    state.metric = metricSelect.value;
    if (state.data) paint();
  });
  await load();
}
