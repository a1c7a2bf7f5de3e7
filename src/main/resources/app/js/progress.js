// A scrape's live progress bar (data-testid="progress"), fed by the WebSocket's status, event
// and end messages of one task.

import {h} from './dom.js';
import * as fmt from './format.js';

/** How far a run is after each event type (a profile run sends them in this order). */
const STEP = {
  scrape_started: 10,
  account_fetched: 30,
  reels_filtered: 45,
  processing_reels: 60,
  reels_processed: 80,
  profile_data_updated: 92,
  scrape_completed: 100,
};

export class ProgressBar {
  constructor(label = 'Refresh progress') {
    this.bar = h('progress', {max: '100', value: '0', 'aria-label': label});
    this.text = h('span', {class: 'progress-text'}, 'No refresh running.');
    this.el = h('div', {class: 'progress', dataset: {testid: 'progress', state: 'idle', percent: '0'}, 'aria-live': 'polite'},
      this.bar, this.text);
    this.runId = null;
  }

  set(state, percent, message) {
    this.el.dataset.state = state;
    this.el.dataset.percent = String(percent);
    this.bar.value = percent;
    this.text.textContent = message;
  }

  /** Waiting for the server to start the run (a run already shown keeps showing). */
  starting() {
    this.before = {state: this.el.dataset.state, percent: Number(this.el.dataset.percent) || 0, text: this.text.textContent};
    if (this.before.state !== 'running') this.set('running', 2, 'Asking the server to refresh…');
  }

  /** The {"type":"status"} snapshot sent when the subscription opens. */
  status(status) {
    const latest = status.latest_event || (status.logs && status.logs[status.logs.length - 1]);
    if (status.is_processing) {
      this.runId = status.run_id || null;
      this.set('running', Math.max(5, latest ? STEP[latest.event_type] || 5 : 5), latest ? latest.message : 'Refreshing…');
    } else if (this.el.dataset.state !== 'running') {
      const ended = latest && latest.timestamp ? ` ${fmt.relative(latest.timestamp)}` : '';
      if (latest && latest.event_type === 'scrape_failed') {
        this.set('failed', 100, `The last refresh failed${ended}: ${latest.message}`);
      } else if (latest) {
        this.set('idle', 0, `Last refresh finished${ended}.`);
      } else {
        this.set('idle', 0, 'No refresh has run yet.');
      }
    }
  }

  /** One {"type":"event"} of a run. */
  event(event) {
    this.runId = event.run_id || this.runId;
    if (event.event_type === 'scrape_failed') {
      this.set('failed', 100, event.message || 'The refresh failed.');
      return;
    }
    const step = STEP[event.event_type];
    const current = Number(this.el.dataset.percent) || 0;
    const percent = step === undefined ? Math.max(current, 5) : Math.max(step === 100 ? 100 : current, step);
    this.set(percent >= 100 ? 'completed' : 'running', percent, event.message || event.event_type);
  }

  /** The {"type":"end"} message. */
  end(message) {
    if (message.status === 'completed') {
      this.set('completed', 100, `Refreshed at ${fmt.when(Date.now() / 1000)}.`);
    } else if (this.el.dataset.state !== 'failed') {
      this.set('failed', 100, 'The refresh failed.');
    }
  }

  /** The request itself failed (409, 429 …): a run being shown goes on; else the reason. */
  refused(message) {
    const before = this.before;
    this.before = null;
    if (this.el.dataset.state === 'running' && Number(this.el.dataset.percent) > 2) return;
    if (before && before.state === 'running') this.set('running', before.percent, before.text);
    else this.set('idle', 0, message);
  }
}
