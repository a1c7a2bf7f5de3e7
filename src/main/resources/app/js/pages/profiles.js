// Profiles: add one (own or competitor, interval), pause / resume / delete, and each one's last
// scrape, next scrape, last error and overall sentiment at a glance.

import {h, fill, field, select} from '../dom.js';
import {get, post, put, del, friendly} from '../api.js';
import {showError, clearError, notify} from '../banner.js';
import * as fmt from '../format.js';
import {badge} from '../sentiment.js';

export const NAME = 'profiles';

const INTERVALS = [['0.5', '12 hours'], ['1', '1 day'], ['2', '2 days'], ['3', '3 days'], ['7', '1 week'], ['14', '2 weeks']];
const MAX_FOLLOWED = 50;

export async function render(root, params, ctx) {
  const input = h('input', {type: 'text', name: 'target_profile', required: true, autocomplete: 'off', spellcheck: 'false',
    placeholder: '@username or profile URL', dataset: {testid: 'add-profile-input'}, maxlength: '200'});
  const competitor = h('input', {type: 'checkbox', name: 'is_competitor', dataset: {testid: 'add-profile-competitor'}});
  const interval = select(INTERVALS.map(([v, l]) => [v, fmt.interval(Number(v)) || l]), {name: 'scrape_interval_days'}, '2');
  const submit = h('button', {type: 'submit', class: 'button', dataset: {testid: 'add-profile-submit'}}, 'Track profile');
  const form = h('form', {class: 'card add-form', novalidate: true, 'aria-label': 'Track a profile'},
    field('Instagram profile', input),
    h('div', {class: 'field field-check'}, h('label', null, competitor, ' Competitor')),
    field('Refresh every', interval),
    h('div', {class: 'field field-submit'}, submit));

  const list = h('div', {class: 'task-list'});
  root.replaceChildren(
    h('div', {class: 'page-head'}, h('h1', null, 'Profiles'),
      h('p', {class: 'lead'}, 'Your own Instagram profiles and your competitors’, refreshed on their schedule.')),
    form,
    list);

  const followed = new Map(); // task id → stop following
  const running = new Set();
  let tasks = [];
  let moods = new Map();
  let reloadTimer = null;

  const reloadSoon = () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(load, 300);
  };

  function follow(list) {
    const wanted = new Set(list.slice(0, MAX_FOLLOWED).map((t) => t.task_id));
    for (const [id, stop] of followed) {
      if (!wanted.has(id)) {
        stop();
        followed.delete(id);
      }
    }
    for (const id of wanted) {
      if (followed.has(id)) continue;
      followed.set(id, ctx.live.follow(id, (message) => {
        if (message.type === 'status') {
          if (message.is_processing) running.add(id);
          else running.delete(id);
          paintRunning(id);
        } else if (message.type === 'event') {
          running.add(id);
          paintRunning(id);
        } else if (message.type === 'end') {
          running.delete(id);
          paintRunning(id);
          reloadSoon();
        }
      }));
    }
  }

  function paintRunning(id) {
    const cell = list.querySelector(`[data-task-id="${CSS.escape(id)}"] .run-state`);
    if (cell) cell.textContent = running.has(id) ? 'Refreshing…' : '';
  }

  async function load() {
    try {
      const answer = await get('/ig-tracking/get_tasks');
      if (!ctx.current()) return;
      tasks = answer.response.tasks || [];
      moods = await summaries(tasks);
      if (!ctx.current()) return;
      paint();
      follow(tasks);
    } catch (e) {
      if (ctx.current()) showError(friendly(e, 'loading your profiles'));
    }
  }

  /** Each scraped task's sentiment summary, a few requests at a time; a failed one shows as unknown. */
  async function summaries(list) {
    const result = new Map();
    const queue = list.filter((t) => t.last_scraped);
    const worker = async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        try {
          const answer = await get(`/ig-tracking/sentiment_summary/${encodeURIComponent(t.task_id)}`);
          result.set(t.task_id, answer.response.sentiment_summary);
        } catch {
          // shown as unknown
        }
      }
    };
    await Promise.all(Array.from({length: 6}, worker));
    return result;
  }

  function paint() {
    if (tasks.length === 0) {
      fill(list, h('p', {class: 'empty card'}, 'No profiles yet. Add your own Instagram profile and a competitor’s to compare them.'));
      return;
    }
    const rows = tasks.map(row);
    fill(list, h('table', {class: 'table tasks-table'},
      h('caption', {class: 'sr-only'}, 'Tracked profiles'),
      h('thead', null, h('tr', null,
        ['Profile', 'Type', 'Status', 'Last scrape', 'Next scrape', 'Sentiment', h('span', {class: 'sr-only'}, 'Actions')]
          .map((label) => h('th', {scope: 'col'}, label)))),
      h('tbody', null, rows)));
  }

  function row(task) {
    const id = task.task_id;
    const mood = moods.get(id);
    const label = mood && mood.total_comments > 0 ? mood.overall_sentiment : null;
    const shares = label ? mood.sentiment_percentages : null;
    const paused = task.status === 'paused';
    const name = `@${task.target_profile}`;
    const toggle = h('button', {type: 'button', class: 'button button-small button-secondary', dataset: {action: 'toggle'},
      'aria-label': `${paused ? 'Resume' : 'Pause'} ${name}`, onclick: () => setStatus(task, paused ? 'active' : 'paused')},
    paused ? 'Resume' : 'Pause');
    const remove = h('button', {type: 'button', class: 'button button-small button-danger', dataset: {action: 'delete'},
      'aria-label': `Stop tracking ${name}`, onclick: () => remove_(task)}, 'Delete');
    const error = task.last_error
      ? h('p', {class: 'task-error'}, `Last error: ${task.last_error.message || 'unknown'}`,
        task.last_error.at ? ` (${fmt.relative(task.last_error.at)})` : '')
      : null;
    return h('tr', {dataset: {testid: 'task-row', taskId: id, status: task.status, competitor: String(Boolean(task.is_competitor))}},
      h('td', {'data-label': 'Profile'}, h('a', {href: `#/profile/${encodeURIComponent(id)}`, class: 'profile-link'}, name),
        h('span', {class: 'run-state', 'aria-live': 'polite'}, running.has(id) ? 'Refreshing…' : ''), error),
      h('td', {'data-label': 'Type'}, h('span', {class: task.is_competitor ? 'tag tag-competitor' : 'tag tag-own'}, task.is_competitor ? 'Competitor' : 'Own')),
      h('td', {'data-label': 'Status'}, paused ? 'Paused' : 'Active', h('span', {class: 'muted'}, ` · every ${fmt.interval(task.scrape_interval_days)}`)),
      h('td', {'data-label': 'Last scrape'}, task.last_scraped ? h('time', {title: fmt.when(task.last_scraped)}, fmt.relative(task.last_scraped)) : h('span', {class: 'muted'}, 'not yet')),
      h('td', {'data-label': 'Next scrape'}, paused ? h('span', {class: 'muted'}, 'paused')
        : task.next_scrape_due ? h('time', {title: fmt.when(task.next_scrape_due)}, fmt.relative(task.next_scrape_due)) : '—'),
      h('td', {'data-label': 'Sentiment'}, badge(label),
        shares ? h('span', {class: 'shares small'}, `${fmt.percent(shares.positive, 1)} positive · ${fmt.percent(shares.negative, 1)} negative`) : null),
      h('td', {class: 'actions-cell'}, h('div', {class: 'row-actions'}, toggle, remove)));
  }

  async function setStatus(task, status) {
    clearError();
    try {
      await put(`/ig-tracking/update_task/${encodeURIComponent(task.task_id)}`, {status});
      notify(status === 'paused' ? `Paused @${task.target_profile}.` : `Resumed @${task.target_profile}.`);
      await load();
    } catch (e) {
      showError(friendly(e, 'changing the profile'));
    }
  }

  async function remove_(task) {
    if (!window.confirm(`Stop tracking @${task.target_profile} and delete its history?`)) return;
    clearError();
    try {
      await del(`/ig-tracking/delete_task/${encodeURIComponent(task.task_id)}`);
      notify(`Deleted @${task.target_profile}.`);
      await load();
    } catch (e) {
      showError(friendly(e, 'deleting the profile'));
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const target = input.value.trim();
    if (!target) {
      showError('Enter an Instagram username or profile URL.');
      input.focus();
      return;
    }
    clearError();
    submit.disabled = true;
    try {
      const answer = await post('/ig-tracking/create_task', {
        target_profile: target,
        is_competitor: competitor.checked,
        scrape_interval_days: Number(interval.value),
      });
      notify(`Tracking @${answer.response.target_profile}. Its first refresh starts within a minute.`);
      input.value = '';
      competitor.checked = false;
      await load();
      input.focus();
    } catch (e) {
      showError(e.status === 409 ? `You already track ${target.startsWith('@') ? target : '@' + target}.` : friendly(e, 'adding the profile'));
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });

  await load();
  return () => {
    clearTimeout(reloadTimer);
    for (const stop of followed.values()) stop();
    followed.clear();
  };
}
