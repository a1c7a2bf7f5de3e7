// One WebSocket per signed-in tab on /codvid-ai/ws: subscriptions to task progress
// ({"action": "subscribe", "task_id"}) and the account's alerts ({"type": "alert"}).
// The token goes in ?token= because browsers cannot send headers on a WebSocket handshake.

import {token} from './session.js';
import {get} from './api.js';

export class Live {
  constructor() {
    this.ws = null;
    this.tasks = new Map(); // task id → Set of handlers
    this.alertHandlers = new Set();
    this.retry = 0;
    this.timer = null;
    this.stopped = true;
    this.state = 'closed';
  }

  start() {
    this.stopped = false;
    if (!this.ws) this.open();
  }

  open() {
    const t = token();
    if (!t || this.stopped) return;
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${window.location.host}/codvid-ai/ws?token=${encodeURIComponent(t)}`);
    this.ws = ws;
    this.state = 'connecting';
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      if (this.ws !== ws) return;
      if (this.stopped) {
        ws.close(1000, 'Logged out');
        return;
      }
      this.state = 'open';
      this.retry = 0;
      for (const id of this.tasks.keys()) this.send({action: 'subscribe', task_id: id});
      document.documentElement.dataset.live = 'open';
    });
    ws.addEventListener('message', (e) => this.receive(e.data));
    ws.addEventListener('close', (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.state = 'closed';
      document.documentElement.dataset.live = 'closed';
      if (e.code === 1008) {
        window.dispatchEvent(new CustomEvent('codvid:unauthorized', {detail: e.reason}));
        return;
      }
      if (!this.stopped) {
        const wait = Math.min(30_000, 1000 * 2 ** this.retry) * (0.5 + Math.random() / 2);
        this.retry += 1;
        this.timer = setTimeout(() => this.open(), wait);
        // refused before opening: an expired token logs out (the API's 401 says so), else retry
        if (!opened) get('/auth/get_uuid').catch(() => {});
      }
    });
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.tasks.clear();
    this.alertHandlers.clear();
    const ws = this.ws;
    this.ws = null;
    this.state = 'closed';
    // closing while the handshake runs makes the browser log an error: close once it opened
    if (ws && ws.readyState === WebSocket.OPEN) ws.close(1000, 'Logged out');
    else if (ws && ws.readyState === WebSocket.CONNECTING) ws.addEventListener('open', () => ws.close(1000, 'Logged out'));
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.type === 'alert') {
      for (const handler of this.alertHandlers) handler(message.alert || message);
      return;
    }
    const handlers = message.task_id ? this.tasks.get(message.task_id) : null;
    if (handlers) for (const handler of [...handlers]) handler(message);
  }

  /** Follows a task: status, event, end and error messages; answers the way to stop. */
  follow(taskId, handler) {
    let handlers = this.tasks.get(taskId);
    if (!handlers) {
      handlers = new Set();
      this.tasks.set(taskId, handlers);
      this.send({action: 'subscribe', task_id: taskId});
    }
    handlers.add(handler);
    return () => {
      const set = this.tasks.get(taskId);
      if (!set) return;
      set.delete(handler);
      if (set.size === 0) {
        this.tasks.delete(taskId);
        this.send({action: 'unsubscribe', task_id: taskId});
      }
    };
  }

  onAlert(handler) {
    this.alertHandlers.add(handler);
    return () => this.alertHandlers.delete(handler);
  }
}
