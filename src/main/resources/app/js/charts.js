// Time-series charts with uPlot (MIT, from the org.webjars.npm:uplot jar), labelled in the
// browser's locale. Each chart lives in a <figure data-testid=...> whose data-points says how
// many scrapes it shows. uPlot's minified build is a classic deferred script of the page (the
// webjar has no minified module); deferred scripts and modules run in document order, so it is
// window.uPlot by the time a chart is drawn.

import {h, fill} from './dom.js';
import * as fmt from './format.js';

export const COLORS = {
  followers: '#3730a3',
  engagement: '#0e7490',
  positive: '#15803d',
  negative: '#b91c1c',
  neutral: '#6b7280',
};

/** Light fills of the stacked sentiment bands, dark enough apart to tell, light enough to read. */
export const FILLS = {
  positive: '#bbf7d0',
  negative: '#fecaca',
  neutral: '#e5e7eb',
};

const live = new Set();

/** Destroys every chart (page change). */
export function destroyAll() {
  for (const chart of live) chart.destroy();
  live.clear();
}

/**
 * A line chart over time. `x`: epoch seconds; `lines`: [{label, values, color, format}];
 * `yFormat` labels the axis; `yRange` fixes it ([min, max]).
 */
export function timeChart(figure, {x, lines, yFormat, yRange, empty, summary, stacked}) {
  const host = h('div', {class: 'chart-host'});
  const points = x.length;
  figure.dataset.points = String(points);
  const caption = figure.querySelector('figcaption');
  fill(figure, caption, summary ? h('p', {class: 'sr-only'}, summary) : null, host);
  if (points === 0) {
    host.appendChild(h('p', {class: 'chart-empty'}, empty || 'No scrapes in this window yet.'));
    return null;
  }
  const span = points > 1 ? x[points - 1] - x[0] : 0;
  const xRange = (u, min, max) => (min === max ? [min - 43200, max + 43200] : [min, max]);
  const opts = {
    width: Math.max(260, host.clientWidth || figure.clientWidth || 600),
    height: window.matchMedia('(max-width: 600px)').matches ? 180 : 220,
    legend: {live: true},
    padding: [12, 40, 0, 0],
    hooks: {
      // with no point under the cursor the legend shows the latest scrape, not dashes
      ready: [(u) => u.setLegend({idx: points - 1})],
      setCursor: [(u) => {
        if (u.cursor.idx === null || u.cursor.idx === undefined) u.setLegend({idx: points - 1});
      }],
    },
    cursor: {drag: {x: false, y: false}},
    scales: {
      x: {time: true, range: xRange},
      y: yRange ? {range: () => yRange} : {},
    },
    axes: [
      {
        stroke: '#374151',
        grid: {stroke: '#e5e7eb'},
        ticks: {stroke: '#d1d5db'},
        space: 90,
        values: (u, splits) => splits.map((v) => fmt.tick(v, span || 86400)),
      },
      {
        stroke: '#374151',
        grid: {stroke: '#e5e7eb'},
        ticks: {stroke: '#d1d5db'},
        size: 56,
        values: (u, splits) => splits.map((v) => yFormat(v)),
      },
    ],
    series: [
      {label: 'Scraped', value: (u, v) => (v === null || v === undefined ? '—' : fmt.when(v))},
      ...lines.map((line) => ({
        label: line.label,
        stroke: line.color,
        width: 2,
        points: {show: points <= 40, size: 7, fill: line.color},
        spanGaps: true,
        value: (u, v) => (v === null || v === undefined ? '—' : line.format(v)),
      })),
    ],
  };
  let data = [x, ...lines.map((l) => l.values)];
  if (stacked) {
    // shares stacked bottom to top (lines[0] lowest); painted top band first so each lower band
    // covers the rest; the legend still reads each share, not the running sum
    const sums = lines.map((l, i) => x.map((_, j) => {
      let total = 0;
      for (let k = 0; k <= i; k += 1) {
        const v = lines[k].values[j];
        if (v === null || v === undefined) return null;
        total += v;
      }
      return total;
    }));
    const order = lines.map((_, i) => lines.length - 1 - i);
    data = [x, ...order.map((i) => sums[i])];
    opts.series = [opts.series[0], ...order.map((i) => ({
      ...opts.series[i + 1],
      fill: lines[i].fill,
      points: {show: false},
      value: (u, v, s, idx) => {
        const own = idx === null || idx === undefined ? null : lines[i].values[idx];
        return own === null || own === undefined ? '—' : lines[i].format(own);
      },
    }))];
  }
  const chart = new window.uPlot(opts, data, host);
  live.add(chart);
  const resize = new ResizeObserver(() => {
    const width = Math.max(260, host.clientWidth);
    if (Math.abs(width - chart.width) > 2) chart.setSize({width, height: chart.height});
  });
  resize.observe(host);
  const destroy = chart.destroy.bind(chart);
  chart.destroy = () => {
    resize.disconnect();
    destroy();
  };
  return chart;
}

/** An empty chart figure with its test id and caption. */
export function chartFigure(testid, title, description) {
  return h('figure', {class: 'chart', dataset: {testid, points: '0'}},
    h('figcaption', null, h('span', {class: 'chart-title'}, title), description ? h('span', {class: 'chart-note'}, description) : null));
}
