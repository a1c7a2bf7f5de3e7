// One profile: live refresh, charts over time (followers, engagement rate, sentiment shares),
// the latest posts with their ER and top comments by sentiment, a filter by sentiment and
// language, top terms and emoji per sentiment, and exports.

import {h, fill, field, select} from '../dom.js';
import {get, post, put, download, friendly} from '../api.js';
import {showError, clearError, notify} from '../banner.js';
import * as fmt from '../format.js';
import {timeChart, chartFigure, destroyAll, COLORS, FILLS} from '../charts.js';
import {ProgressBar} from '../progress.js';
import {badge, LABELS} from '../sentiment.js';

export const NAME = 'profile';

const WINDOWS = [['7', '7 days'], ['30', '30 days'], ['90', '90 days'], ['365', '1 year']];
const SENTIMENTS = ['positive', 'negative', 'neutral'];

export async function render(root, [taskId], ctx) {
  const state = {window: '30', sentiment: 'all', language: 'all', task: null, insights: null};
  const progress = new ProgressBar();
  const refresh = h('button', {type: 'button', class: 'button', dataset: {testid: 'force-scrape'}}, 'Refresh now');
  const toggle = h('button', {type: 'button', class: 'button button-secondary'}, 'Pause');
  const windowSelect = select(WINDOWS, {name: 'window_days'}, state.window);

  const head = h('div', {class: 'profile-head'});
  const kpis = h('div', {class: 'kpis'});
  const figures = {
    followers: chartFigure('chart-followers', 'Followers'),
    engagement: chartFigure('chart-engagement', 'Engagement rate', '(likes + comments) ÷ followers, mean of the posts of each scrape'),
    sentiment: chartFigure('chart-sentiment', 'Comment sentiment', 'shares of the top comments of each scrape, stacked'),
  };
  const terms = h('div', {class: 'terms'});
  const posts = h('div', {class: 'posts'});
  const filters = h('div', {class: 'filters'});
  const exportFormat = select([['csv', 'CSV'], ['json', 'JSON']], {name: 'format'}, 'csv');
  const exports = h('div', {class: 'exports card'},
    h('h2', null, 'Export the whole history'),
    h('div', {class: 'export-row'},
      field('Format', exportFormat),
      ...[['comments', 'Comments'], ['posts', 'Posts'], ['series', 'Figures per scrape']].map(([what, label]) =>
        h('button', {type: 'button', class: 'button button-secondary', dataset: {testid: `export-${what}`, what},
          onclick: (e) => exportFile(what, e.currentTarget)}, label))));

  root.replaceChildren(
    h('p', {class: 'crumbs'}, h('a', {href: '#/profiles'}, '← Profiles')),
    head,
    h('div', {class: 'card refresh-card'},
      h('div', {class: 'refresh-row'}, refresh, toggle, field('Window', windowSelect)),
      progress.el),
    kpis,
    h('section', {class: 'charts', 'aria-label': 'Charts over time'}, figures.followers, figures.engagement, figures.sentiment),
    h('section', {class: 'card', 'aria-labelledby': 'terms-title'}, h('h2', {id: 'terms-title'}, 'What the comments say'), terms),
    h('section', {class: 'card', 'aria-labelledby': 'posts-title'}, h('h2', {id: 'posts-title'}, 'Latest posts and their top comments'), filters, posts),
    exports);

  async function load() {
    const [task, insights] = await Promise.all([
      get(`/ig-tracking/get_task/${encodeURIComponent(taskId)}`),
      get(`/ig-tracking/insights/${encodeURIComponent(taskId)}`, {window_days: state.window}),
    ]);
    if (!ctx.current()) return;
    state.task = task.response.task || task.response;
    state.insights = insights.response;
    paint();
  }

  function paint() {
    const task = state.task;
    const data = task.target_profile_data || {};
    const latest = state.insights.latest || {};
    const growth = state.insights.growth || {};
    const win = state.insights.window || {};
    const pic = typeof data.icon_pic_url === 'string' && data.icon_pic_url.startsWith('data:image/')
      ? h('img', {class: 'avatar', src: data.icon_pic_url, alt: '', width: '56', height: '56'})
      : h('span', {class: 'avatar avatar-letter', 'aria-hidden': 'true'}, (task.target_profile || '?').charAt(0).toUpperCase());
    toggle.textContent = task.status === 'paused' ? 'Resume schedule' : 'Pause schedule';
    fill(head, pic,
      h('div', {class: 'profile-title'},
        h('h1', null, `@${task.target_profile}`),
        h('p', {class: 'muted'}, data.full_name || '', data.full_name ? ' · ' : '',
          h('span', {class: task.is_competitor ? 'tag tag-competitor' : 'tag tag-own'}, task.is_competitor ? 'Competitor' : 'Own'),
          ' · ', task.status === 'paused' ? 'paused' : `refreshed every ${fmt.interval(task.scrape_interval_days)}`),
        h('p', {class: 'muted small'},
          'Last scrape: ', task.last_scraped ? h('time', {title: fmt.when(task.last_scraped)}, fmt.relative(task.last_scraped)) : 'not yet',
          task.status !== 'paused' && task.next_scrape_due ? [' · next ', h('time', {title: fmt.when(task.next_scrape_due)}, fmt.relative(task.next_scrape_due))] : null),
        task.last_error ? h('p', {class: 'task-error'}, `Last error: ${task.last_error.message}`) : null));

    fill(kpis,
      kpi('Followers', fmt.count(latest.followers),
        growth.followers_change !== null && growth.followers_change !== undefined
          ? `${fmt.signed(growth.followers_change, 0)} (${fmt.signedPercent(growth.followers_change_pct, 2)}) in ${state.window} days` : 'growth needs two scrapes'),
      kpi('Engagement rate', fmt.percent(latest.engagement_rate), `window: ${fmt.percent(win.engagement_rate)}`),
      kpi('Net sentiment', fmt.signed(latest.net_sentiment), `${fmt.percent(latest.positive_pct, 1)} positive · ${fmt.percent(latest.negative_pct, 1)} negative`),
      kpi('Posts per week', fmt.decimal(win.posts_per_week, 1), `${fmt.count(win.posts)} posts in the window`),
      kpi('Average likes', fmt.decimal(latest.avg_likes, 1), `${fmt.decimal(latest.avg_comments, 1)} comments per post`));

    paintCharts();
    paintTerms();
    paintFilters();
    paintPosts();
  }

  function kpi(label, value, note) {
    return h('div', {class: 'kpi card'}, h('span', {class: 'kpi-label'}, label), h('span', {class: 'kpi-value'}, value), h('span', {class: 'kpi-note'}, note));
  }

  function paintCharts() {
    destroyAll();
    const series = state.insights.series || [];
    const x = series.map((p) => p.scraped_at);
    const followers = series.map((p) => p.followers);
    const er = series.map((p) => p.engagement_rate);
    const known = (values) => values.filter((v) => v !== null && v !== undefined);
    const span = (values, f) => {
      const k = known(values);
      return k.length ? `${f(k[0])} to ${f(k[k.length - 1])} over ${fmt.count(x.length)} scrapes` : 'no values yet';
    };
    timeChart(figures.followers, {x, yFormat: fmt.compact, summary: `Followers: ${span(followers, fmt.count)}.`,
      lines: [{label: 'Followers', values: followers, color: COLORS.followers, format: fmt.count}]});
    timeChart(figures.engagement, {x, yFormat: (v) => fmt.percent(v, 1), summary: `Engagement rate: ${span(er, fmt.percent)}.`,
      lines: [{label: 'ER', values: er, color: COLORS.engagement, format: (v) => fmt.percent(v)}]});
    timeChart(figures.sentiment, {x, yFormat: (v) => fmt.percent(v, 0), yRange: [0, 100], stacked: true,
      summary: `Sentiment shares, latest: ${SENTIMENTS.map((s) => `${LABELS[s]} ${fmt.percent(series.length ? series[series.length - 1][s + '_pct'] : null, 1)}`).join(', ')}.`,
      lines: ['positive', 'neutral', 'negative'].map((s) => ({label: LABELS[s], values: series.map((p) => p[s + '_pct']),
        color: COLORS[s], fill: FILLS[s], format: (v) => fmt.percent(v, 1)}))});
  }

  function paintTerms() {
    const insights = state.insights.comment_insights || {};
    const byTerms = insights.terms || {};
    const byEmoji = insights.emoji_by_sentiment || {};
    fill(terms, SENTIMENTS.map((s) => h('div', {class: `terms-col terms-${s}`},
      h('h3', null, badge(s), h('span', {class: 'muted small'}, ` ${fmt.plural((insights.by_sentiment || {})[s] || 0, 'comment', 'comments')}`)),
      chips((byTerms[s] || []).slice(0, 10).map((t) => [t.term, t.count]), 'No words yet.'),
      chips((byEmoji[s] || []).slice(0, 8).map((t) => [t.emoji, t.count]), 'No emoji.', 'chip-emoji'))));
  }

  function chips(items, empty, extra) {
    if (items.length === 0) return h('p', {class: 'muted small'}, empty);
    return h('ul', {class: 'chips'}, items.map(([text, n]) =>
      h('li', {class: ['chip', extra]}, h('span', null, text), h('span', {class: 'chip-count', 'aria-label': `${n} comments`}, fmt.count(n)))));
  }

  function comments() {
    const data = state.task.target_profile_data || {};
    return (data.scraped_posts || []).flatMap((p) => p.top_comments || []);
  }

  function paintFilters() {
    const languages = [...new Set(comments().map((c) => c.language || 'unknown'))].sort();
    if (state.language !== 'all' && !languages.includes(state.language)) state.language = 'all';
    const sentimentSelect = select([['all', 'All sentiments'], ...SENTIMENTS.map((s) => [s, LABELS[s]])],
      {name: 'sentiment', dataset: {testid: 'filter-sentiment'}}, state.sentiment);
    const languageSelect = select([['all', 'All languages'], ...languages.map((l) => [l, fmt.language(l)])],
      {name: 'language', dataset: {testid: 'filter-language'}}, state.language);
    sentimentSelect.addEventListener('change', () => {
      state.sentiment = sentimentSelect.value;
      paintPosts();
    });
    languageSelect.addEventListener('change', () => {
      state.language = languageSelect.value;
      paintPosts();
    });
    fill(filters, field('Sentiment', sentimentSelect), field('Language', languageSelect), h('p', {class: 'filter-count muted small', 'aria-live': 'polite'}));
  }

  function paintPosts() {
    const data = state.task.target_profile_data || {};
    const rates = new Map((state.insights.posts || []).map((p) => [p.post_id, p]));
    const list = data.scraped_posts || [];
    let shown = 0;
    let total = 0;
    if (list.length === 0) {
      fill(posts, h('p', {class: 'muted'}, state.task.last_scraped ? 'This profile has no posts we can read (it may be private).' : 'No data yet: press “Refresh now”.'));
      filters.querySelector('.filter-count').textContent = '';
      return;
    }
    fill(posts, list.map((post) => {
      const rate = rates.get(post.post_id) || {};
      const all = post.top_comments || [];
      const matching = all.filter((c) => (state.sentiment === 'all' || c.sentiment === state.sentiment)
        && (state.language === 'all' || (c.language || 'unknown') === state.language));
      shown += matching.length;
      total += all.length;
      return h('article', {class: 'post card', dataset: {postId: post.post_id}},
        h('header', {class: 'post-head'},
          h('span', {class: 'tag'}, post.type || 'post'),
          h('time', {title: fmt.when(post.timestamp)}, fmt.day(post.timestamp)),
          h('a', {href: post.post_url, target: '_blank', rel: 'noopener noreferrer', class: 'small'}, 'Open on Instagram')),
        post.caption ? h('p', {class: 'caption'}, post.caption) : null,
        h('dl', {class: 'post-stats'},
          stat('Likes', post.likes_count === null ? 'hidden' : fmt.count(post.likes_count)),
          stat('Comments', fmt.count(post.comments_count)),
          post.video_play_count || post.video_view_count ? stat('Views', fmt.count(post.video_play_count || post.video_view_count)) : null,
          stat('ER', fmt.percent(rate.engagement_rate))),
        matching.length === 0
          ? h('p', {class: 'muted small'}, all.length === 0 ? 'No comments.' : 'No comments match the filter.')
          : h('ul', {class: 'comments'}, matching.map(commentRow)));
    }));
    filters.querySelector('.filter-count').textContent = `Showing ${fmt.count(shown)} of ${fmt.count(total)} comments.`;
  }

  function stat(label, value) {
    return h('div', null, h('dt', null, label), h('dd', null, value));
  }

  function commentRow(c) {
    const label = SENTIMENTS.includes(c.sentiment) ? c.sentiment : 'neutral';
    return h('li', {class: `comment comment-${label}`, dataset: {testid: 'comment-row', sentiment: label, language: c.language || 'unknown'}},
      h('div', {class: 'comment-meta'}, badge(label), h('span', {class: 'owner'}, `@${c.owner_username || 'unknown'}`),
        h('span', {class: 'muted small'}, fmt.language(c.language)),
        c.likes_count ? h('span', {class: 'muted small'}, `♥ ${fmt.count(c.likes_count)}`) : null),
      h('p', {class: 'comment-text'}, c.text || h('span', {class: 'muted'}, '(no text)')));
  }

  async function exportFile(what, button) {
    clearError();
    button.disabled = true;
    try {
      const file = await download(`/ig-tracking/export/${encodeURIComponent(taskId)}`, {what, format: exportFormat.value},
        `codvid-${state.task ? state.task.target_profile : 'task'}-${what}.${exportFormat.value}`);
      notify(`Downloaded ${file.name} (${fmt.count(file.size)} bytes).`);
    } catch (e) {
      showError(friendly(e, 'exporting'));
    } finally {
      button.disabled = false;
    }
  }

  // Refresh now stays disabled from the click until the run's end and the reload of its data.
  let endedAt = 0;
  let guard = null;
  let myRun = null;
  const reloads = new Map(); // run id → the reload after its end
  const idle = () => {
    clearTimeout(guard);
    refresh.disabled = false;
  };

  async function forceScrape(retried) {
    try {
      const answer = await post(`/ig-tracking/force_scrape/${encodeURIComponent(taskId)}`);
      myRun = answer.run_id || null;
      const ended = myRun ? reloads.get(myRun) : null;
      if (ended) ended.finally(idle); // the run was faster than this answer
      else guard = setTimeout(idle, 120_000); // the end never came (socket down): let the user try again
    } catch (e) {
      const name = state.task ? `@${state.task.target_profile}` : 'this profile';
      if (e.status === 409 && !retried && Date.now() - endedAt < 3000) {
        // a run that just ended may still be handing the task back: ask once more
        setTimeout(() => forceScrape(true), 700);
        return;
      }
      idle();
      if (e.status === 409) {
        showError(`${name} is already being refreshed (by its schedule or another session). Its progress shows below.`);
        progress.refused('Already refreshing…');
      } else if (e.status === 429) {
        showError(`You have asked for too many refreshes in a short time. Try again in ${e.retryAfter || 60} s.`);
        progress.refused('Refresh not started: too many refreshes.');
      } else {
        showError(friendly(e, 'starting the refresh'));
        progress.refused('Refresh not started.');
      }
    }
  }

  refresh.addEventListener('click', () => {
    clearError();
    refresh.disabled = true;
    progress.starting();
    forceScrape(false);
  });

  toggle.addEventListener('click', async () => {
    clearError();
    const status = state.task.status === 'paused' ? 'active' : 'paused';
    try {
      await put(`/ig-tracking/update_task/${encodeURIComponent(taskId)}`, {status});
      notify(status === 'paused' ? 'Schedule paused.' : 'Schedule resumed.');
      await load();
    } catch (e) {
      showError(friendly(e, 'changing the schedule'));
    }
  });

  windowSelect.addEventListener('change', async () => {
    state.window = windowSelect.value;
    try {
      await load();
    } catch (e) {
      showError(friendly(e, 'loading the figures'));
    }
  });

  const stop = ctx.live.follow(taskId, (message) => {
    if (message.type === 'status') progress.status(message);
    else if (message.type === 'event') progress.event(message);
    else if (message.type === 'end') {
      endedAt = Date.now();
      progress.end(message);
      const reload = message.status === 'completed'
        ? load().then(() => notify('Profile refreshed.')).catch((e) => showError(friendly(e, 'loading the new data')))
        : load().catch(() => {});
      if (message.run_id) reloads.set(message.run_id, reload);
      if (message.run_id && message.run_id === myRun) reload.finally(idle);
    } else if (message.type === 'error') {
      progress.refused(message.message || 'Live progress is not available.');
    }
  });

  try {
    await load();
  } catch (e) {
    stop();
    clearTimeout(guard);
    fill(root, h('p', {class: 'crumbs'}, h('a', {href: '#/profiles'}, '← Profiles')),
      h('h1', null, 'Profile not available'),
      h('p', {class: 'card'}, e.status === 404 ? 'This profile does not exist or is not yours.' : friendly(e, 'loading the profile')));
    return null;
  }
  return () => {
    clearTimeout(guard);
    stop();
  };
}
