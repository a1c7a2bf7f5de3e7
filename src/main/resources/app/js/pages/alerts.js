// Alerts (issue 16's API): rules on sentiment, engagement, followers and failed scrapes —
// create, edit, delete, test — and the fired alerts, new ones arriving live on the WebSocket.
// A server without the alerts API says so instead of failing: the page first reads the API
// description (/codvid-ai/openapi.json) and only calls routes it lists.

import {h, fill, field, select} from '../dom.js';
import {get, post, put, del, friendly, ApiError} from '../api.js';
import {showError, clearError, notify} from '../banner.js';
import * as fmt from '../format.js';
import {badge} from '../sentiment.js';

export const NAME = 'alerts';

const METRICS = [
  ['negative_pct', 'Negative comments (%)'],
  ['positive_pct', 'Positive comments (%)'],
  ['net_sentiment', 'Net sentiment'],
  ['engagement_rate', 'Engagement rate (%)'],
  ['followers', 'Followers'],
  ['scrape_failed', 'A scrape failed'],
];
const CONDITIONS = [
  ['above', 'is above'],
  ['below', 'is below'],
  ['rises_by', 'rises by'],
  ['falls_by', 'falls by'],
];
const metricLabel = (m) => (METRICS.find(([k]) => k === m) || [m, m])[1];
const conditionLabel = (c) => (CONDITIONS.find(([k]) => k === c) || [c, c])[1];

let available = null;

/** Whether this server has the alerts API (its OpenAPI description lists it). */
async function alertsAvailable() {
  if (available !== null) return available;
  try {
    const res = await fetch('/codvid-ai/openapi.json', {cache: 'no-store'});
    const doc = res.ok ? await res.json() : null;
    available = Boolean(doc && doc.paths && doc.paths['/codvid-ai/alerts/get_rules']);
  } catch {
    return false;
  }
  return available;
}

function listOf(response, ...keys) {
  for (const key of keys) {
    if (Array.isArray(response[key])) return response[key];
  }
  return [];
}

export async function render(root, params, ctx) {
  root.replaceChildren(h('div', {class: 'page-head'}, h('h1', null, 'Alerts'),
    h('p', {class: 'lead'}, 'Hear when comments turn sour, a competitor’s engagement jumps or tracking stops working.')));
  if (!(await alertsAvailable())) {
    if (!ctx.current()) return null;
    root.appendChild(h('div', {class: 'card notice', dataset: {testid: 'alerts-unavailable'}},
      h('h2', null, 'Alerts are not available on this server yet'),
      h('p', null, 'This server’s API does not offer alert rules yet (its description at ',
        h('a', {href: '/codvid-ai/docs'}, '/codvid-ai/docs'), ' lists no /codvid-ai/alerts routes). Once the server is upgraded, this page lets you create rules and shows fired alerts as they happen.')));
    return null;
  }

  const state = {rules: [], alerts: [], tasks: [], editing: null};
  const formSlot = h('div');
  const rulesList = h('div');
  const alertsList = h('ol', {class: 'alert-list', 'aria-live': 'polite'});
  const secretNote = h('div', {class: 'secret-note', hidden: true, role: 'status'});
  root.append(
    h('section', {class: 'card', 'aria-labelledby': 'rule-form-title'}, formSlot, secretNote),
    h('section', {class: 'card', 'aria-labelledby': 'rules-title'}, h('h2', {id: 'rules-title'}, 'Rules'), rulesList),
    h('section', {class: 'card', 'aria-labelledby': 'alerts-title'}, h('h2', {id: 'alerts-title'}, 'Fired alerts'), alertsList));

  const taskName = (id) => {
    if (!id) return 'All my tasks';
    const t = state.tasks.find((x) => x.task_id === id);
    return t ? `@${t.target_profile}` : 'a task';
  };

  function ruleForm(rule) {
    const editing = Boolean(rule);
    const r = rule || {metric: 'negative_pct', condition: 'above', threshold: 40, cooldown_hours: 24, baseline_scrapes: 4, enabled: true};
    const name = h('input', {type: 'text', name: 'name', maxlength: '100', value: r.name || '', placeholder: 'e.g. Comments turn sour', dataset: {testid: 'rule-name'}});
    const enabled = h('input', {type: 'checkbox', name: 'enabled', checked: r.enabled !== false});
    const task = select([['', 'All my tasks'], ...state.tasks.map((t) => [t.task_id, `@${t.target_profile}${t.is_competitor ? ' (competitor)' : ''}`])],
      {name: 'task_id', dataset: {testid: 'rule-task'}}, r.task_id || '');
    const metric = select(METRICS, {name: 'metric', dataset: {testid: 'rule-metric'}}, r.metric);
    const condition = select(CONDITIONS, {name: 'condition', dataset: {testid: 'rule-condition'}}, r.condition || 'above');
    const threshold = h('input', {type: 'number', name: 'threshold', step: 'any', value: r.threshold ?? '', dataset: {testid: 'rule-threshold'}});
    const baseline = h('input', {type: 'number', name: 'baseline_scrapes', min: '1', step: '1', value: r.baseline_scrapes ?? 4});
    const cooldown = h('input', {type: 'number', name: 'cooldown_hours', min: '0', step: 'any', value: r.cooldown_hours ?? 24, dataset: {testid: 'rule-cooldown'}});
    const webhook = h('input', {type: 'url', name: 'webhook_url', value: r.webhook_url || '', placeholder: 'https://example.com/codvid-hook', dataset: {testid: 'rule-webhook'}});
    const submit = h('button', {type: 'submit', class: 'button', dataset: {testid: 'rule-submit'}}, editing ? 'Save rule' : 'Create rule');
    const cancel = editing ? h('button', {type: 'button', class: 'button button-secondary', onclick: () => showForm(null)}, 'Cancel') : null;
    const sync = () => {
      const failed = metric.value === 'scrape_failed';
      threshold.disabled = failed;
      condition.disabled = failed;
      baseline.disabled = failed || !['rises_by', 'falls_by'].includes(condition.value);
    };
    metric.addEventListener('change', sync);
    condition.addEventListener('change', sync);
    sync();
    const form = h('form', {class: 'rule-form', novalidate: true},
      h('h2', {id: 'rule-form-title'}, editing ? 'Edit rule' : 'New rule'),
      h('div', {class: 'form-grid'},
        field('Name (optional)', name), field('Task', task), field('Metric', metric), field('Condition', condition),
        field('Threshold', threshold, 'Points or %, see the API docs for rises/falls.'),
        field('Baseline scrapes', baseline, 'For “rises by” / “falls by”.'),
        field('Cooldown (hours)', cooldown), field('Webhook URL (optional)', webhook, 'Signed POSTs; the secret is shown once.'),
        h('div', {class: 'field field-check'}, h('label', null, enabled, ' Enabled'))),
      h('div', {class: 'actions'}, submit, cancel));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearError();
      const data = {metric: metric.value, cooldown_hours: Number(cooldown.value), enabled: enabled.checked};
      // on an edit, null removes the task (every task), the name or the webhook
      if (task.value) data.task_id = task.value;
      else if (editing) data.task_id = null;
      if (name.value.trim()) data.name = name.value.trim();
      else if (editing && r.name) data.name = null;
      if (metric.value !== 'scrape_failed') {
        data.condition = condition.value;
        if (threshold.value === '') {
          showError('Enter a threshold.');
          threshold.focus();
          return;
        }
        data.threshold = Number(threshold.value);
        if (['rises_by', 'falls_by'].includes(condition.value)) data.baseline_scrapes = Number(baseline.value);
      }
      if (webhook.value.trim()) {
        if (!editing || webhook.value.trim() !== r.webhook_url || r.webhook_active === false) data.webhook_url = webhook.value.trim();
      } else if (editing && r.webhook_url) {
        data.webhook_url = null;
      }
      submit.disabled = true;
      try {
        const answer = editing
          ? await put(`/alerts/update_rule/${encodeURIComponent(rule.rule_id)}`, data)
          : await post('/alerts/create_rule', data);
        const secret = answer.response && answer.response.webhook_secret;
        if (secret) {
          fill(secretNote, h('p', null, 'Webhook secret (shown once, keep it to verify signatures): '), h('code', {dataset: {testid: 'rule-secret'}}, secret));
          secretNote.hidden = false;
        }
        notify(editing ? 'Rule saved.' : 'Rule created.');
        showForm(null);
        await load();
      } catch (e) {
        showError(friendly(e, 'saving the rule'));
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function showForm(rule) {
    state.editing = rule;
    fill(formSlot, ruleForm(rule));
    if (rule) formSlot.querySelector('input, select').focus();
  }

  function paintRules() {
    if (state.rules.length === 0) {
      fill(rulesList, h('p', {class: 'muted'}, 'No rules yet.'));
      return;
    }
    fill(rulesList, h('ul', {class: 'rules'}, state.rules.map((r) => h('li', {class: 'rule', dataset: {testid: 'rule-row', ruleId: r.rule_id}},
      r.name ? h('p', {class: 'rule-name'}, h('strong', null, r.name), r.enabled === false ? h('span', {class: 'tag'}, 'disabled') : null) : null,
      h('p', {class: 'rule-text'}, h('strong', null, taskName(r.task_id)), ': ', metricLabel(r.metric),
        r.metric === 'scrape_failed' ? '' : ` ${conditionLabel(r.condition)} ${fmt.decimal(r.threshold)}`,
        ['rises_by', 'falls_by'].includes(r.condition) ? ` (against the last ${fmt.count(r.baseline_scrapes ?? 4)} scrapes)` : '',
        !r.name && r.enabled === false ? h('span', {class: 'tag'}, 'disabled') : null),
      h('p', {class: 'muted small'}, `Cooldown ${fmt.decimal(r.cooldown_hours ?? 24, 1)} h`,
        r.webhook_url ? ` · webhook to ${hostOf(r.webhook_url)}` : ' · live only',
        r.webhook_url && r.webhook_active === false ? ` (switched off${r.webhook_disabled_reason ? ': ' + r.webhook_disabled_reason : ''})` : ''),
      h('div', {class: 'row-actions'},
        h('button', {type: 'button', class: 'button button-small button-secondary', dataset: {action: 'edit'},
          onclick: () => showForm(r)}, 'Edit'),
        r.webhook_url ? h('button', {type: 'button', class: 'button button-small button-secondary', dataset: {action: 'test'},
          onclick: () => testRule(r)}, 'Send test') : null,
        h('button', {type: 'button', class: 'button button-small button-danger', dataset: {action: 'delete'},
          onclick: () => removeRule(r)}, 'Delete'))))));
  }

  function hostOf(url) {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  }

  function alertRow(a) {
    const delivery = a.delivery || {};
    const status = delivery.status && delivery.status !== 'no_webhook' ? delivery.status.replace('_', ' ') : null;
    const attempts = Array.isArray(delivery.attempts) ? delivery.attempts.length : delivery.attempts;
    const comments = a.sample_comments || [];
    const subject = a.task_type === 'reel' && a.reel_url ? 'A reel' : a.target_profile ? `@${a.target_profile}` : taskName(a.task_id);
    return h('li', {class: 'alert-item', dataset: {testid: 'alert-row', alertId: a.alert_id}},
      h('p', {class: 'alert-title'}, a.rule_name ? h('strong', null, `${a.rule_name} · `) : null, h('strong', null, subject), ': ',
        metricLabel(a.metric),
        a.metric === 'scrape_failed'
          ? ` (${fmt.plural(a.consecutive_failures ?? a.value ?? 1, 'failure', 'failures')} in a row${a.error ? ': ' + a.error : ''})`
          : ` ${conditionLabel(a.condition)} ${fmt.decimal(a.threshold)} — now ${fmt.decimal(a.value)}`,
        a.baseline !== null && a.baseline !== undefined ? ` (baseline ${fmt.decimal(a.baseline)})` : ''),
      h('p', {class: 'muted small'}, h('time', null, fmt.when(a.fired_at)),
        status ? ` · webhook ${status}${attempts ? `, ${fmt.count(attempts)} attempt${attempts === 1 ? '' : 's'}` : ''}` : ''),
      comments.length ? h('ul', {class: 'comments'}, comments.slice(0, 3).map((c) => h('li', {class: `comment comment-${c.sentiment || 'neutral'}`},
        badge(c.sentiment || 'neutral'), ' ', c.text || ''))) : null);
  }

  function paintAlerts() {
    fill(alertsList, state.alerts.length === 0 ? h('li', {class: 'muted'}, 'No alerts have fired yet.') : state.alerts.map(alertRow));
  }

  async function testRule(r) {
    clearError();
    try {
      const answer = await post(`/alerts/test_webhook/${encodeURIComponent(r.rule_id)}`);
      const result = answer.response || {};
      const attempt = result.attempt || {};
      if (result.delivered) notify(`Test delivered${attempt.status_code ? ` (HTTP ${attempt.status_code})` : ''}.`);
      else showError(`The test was not delivered: ${attempt.error || (attempt.status_code ? 'HTTP ' + attempt.status_code : attempt.outcome || 'no answer')}.`);
      if (result.webhook_active === false) await load();
    } catch (e) {
      showError(friendly(e, 'sending the test'));
    }
  }

  async function removeRule(r) {
    if (!window.confirm('Delete this rule and its alerts?')) return;
    clearError();
    try {
      await del(`/alerts/delete_rule/${encodeURIComponent(r.rule_id)}`);
      notify('Rule deleted.');
      await load();
    } catch (e) {
      showError(friendly(e, 'deleting the rule'));
    }
  }

  async function load() {
    try {
      const [rules, alerts, tasks] = await Promise.all([
        get('/alerts/get_rules'),
        get('/alerts/get_alerts', {limit: 50}),
        get('/ig-tracking/get_tasks'),
      ]);
      if (!ctx.current()) return;
      state.rules = listOf(rules.response, 'rules', 'rule_list');
      state.alerts = listOf(alerts.response, 'alerts', 'alert_list');
      state.tasks = tasks.response.tasks || [];
      if (!state.editing) showForm(null);
      paintRules();
      paintAlerts();
    } catch (e) {
      if (ctx.current()) showError(e instanceof ApiError ? friendly(e, 'loading alerts') : 'Alerts could not be loaded.');
    }
  }

  const stop = ctx.live.onAlert((alert) => {
    if (!alert || state.alerts.some((a) => a.alert_id === alert.alert_id)) return;
    state.alerts.unshift(alert);
    paintAlerts();
    notify('A new alert fired.');
  });
  await load();
  return stop;
}
