// Projects: reel tasks per project, and the AI chat, whose answer streams in as data_mods
// applied by the original clients' rules (docs/ai-chat.md).

import {h, fill, field} from '../dom.js';
import {get, post, del, friendly, readEnvelope, ApiError, BASE} from '../api.js';
import {token} from '../session.js';
import {showError, clearError, notify} from '../banner.js';
import * as fmt from '../format.js';
import {badge} from '../sentiment.js';
import {applyChunk} from '../datamods.js';

export const NAME = 'projects';

export async function render(root, [projectName], ctx) {
  if (projectName === undefined) return renderList(root, ctx);
  return renderProject(root, projectName, ctx);
}

async function renderList(root, ctx) {
  const name = h('input', {type: 'text', name: 'project_name', required: true, maxlength: '100', autocomplete: 'off', dataset: {testid: 'project-name'}});
  const description = h('input', {type: 'text', name: 'description', maxlength: '500', autocomplete: 'off'});
  const submit = h('button', {type: 'submit', class: 'button', dataset: {testid: 'project-create'}}, 'Create project');
  const form = h('form', {class: 'card add-form', novalidate: true, 'aria-label': 'Create a project'},
    field('Project name', name), field('Description (optional)', description), h('div', {class: 'field field-submit'}, submit));
  const list = h('div');
  root.replaceChildren(
    h('div', {class: 'page-head'}, h('h1', null, 'Projects'),
      h('p', {class: 'lead'}, 'A project groups the reels you track for a campaign, with an AI assistant that knows their numbers.')),
    form, list);

  async function load() {
    try {
      const answer = await post('/project/get-project-list');
      if (!ctx.current()) return;
      const names = answer.response.project_list || [];
      fill(list, names.length === 0
        ? h('p', {class: 'empty card'}, 'No projects yet.')
        : h('ul', {class: 'project-list'}, names.map((n) => h('li', {class: 'card project-item', dataset: {testid: 'project-row', project: n}},
          h('a', {href: `#/projects/${encodeURIComponent(n)}`}, n),
          h('button', {type: 'button', class: 'button button-small button-danger', 'aria-label': `Delete project ${n}`,
            onclick: () => removeProject(n)}, 'Delete')))));
    } catch (e) {
      if (ctx.current()) showError(friendly(e, 'loading your projects'));
    }
  }

  async function removeProject(n) {
    if (!window.confirm(`Delete project “${n}”, its reel tasks and its chat?`)) return;
    try {
      await post('/project/delete-project', {project_name: n});
      notify(`Deleted ${n}.`);
      await load();
    } catch (e) {
      showError(friendly(e, 'deleting the project'));
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const n = name.value.trim();
    if (!n) {
      showError('Enter a project name.');
      name.focus();
      return;
    }
    clearError();
    submit.disabled = true;
    try {
      await post('/project/create-project', {project_name: n, description: description.value.trim() || undefined});
      ctx.navigate(`#/projects/${encodeURIComponent(n)}`);
    } catch (e) {
      showError(friendly(e, 'creating the project'));
    } finally {
      submit.disabled = false;
    }
  });
  await load();
}

async function renderProject(root, projectName, ctx) {
  const userData = {projects: {}};
  let reloads = 0;
  let streaming = false;
  const followed = new Map();
  const runs = new Map(); // reel task id → text of its live state

  const reelInput = h('input', {type: 'url', name: 'reel_url', required: true, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'https://www.instagram.com/reel/…', dataset: {testid: 'add-reel-input'}});
  const reelSubmit = h('button', {type: 'submit', class: 'button', dataset: {testid: 'add-reel-submit'}}, 'Track reel');
  const reelForm = h('form', {class: 'add-form', novalidate: true, 'aria-label': 'Track a reel'}, field('Reel URL', reelInput), h('div', {class: 'field field-submit'}, reelSubmit));
  const reels = h('div', {class: 'reel-list'});

  const messages = h('ol', {class: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Chat'});
  const input = h('textarea', {name: 'message', rows: '2', maxlength: '10000', dataset: {testid: 'chat-input'},
    placeholder: 'Ask about your reels and profiles…'});
  const send = h('button', {type: 'submit', class: 'button', dataset: {testid: 'chat-send'}}, 'Send');
  const chatForm = h('form', {class: 'chat-form', novalidate: true}, field('Message', input), send);
  const chat = h('section', {class: 'card chat', dataset: {testid: 'chat', reloads: '0', streaming: 'false'}, 'aria-labelledby': 'chat-title'},
    h('h2', {id: 'chat-title'}, 'Assistant'), messages, chatForm);

  root.replaceChildren(
    h('p', {class: 'crumbs'}, h('a', {href: '#/projects'}, '← Projects')),
    h('div', {class: 'page-head'}, h('h1', null, projectName), h('p', {class: 'lead project-description'})),
    h('div', {class: 'project-grid'},
      h('section', {class: 'card', 'aria-labelledby': 'reels-title'}, h('h2', {id: 'reels-title'}, 'Tracked reels'), reelForm, reels),
      chat));

  const project = () => userData.projects[projectName];

  async function loadProject() {
    const answer = await post('/project/get-project-data', {project_name: projectName});
    if (!ctx.current()) return;
    userData.projects[projectName] = answer.response.project_data;
    const info = project().project_info || {};
    root.querySelector('.project-description').textContent = info.description || '';
    paintReels();
    paintChat();
    followReels();
  }

  function followReels() {
    const tasks = project().reel_tracking_tasks || [];
    const ids = new Set(tasks.map((t) => t.task_id).slice(0, 40));
    for (const [id, stop] of followed) {
      if (!ids.has(id)) {
        stop();
        followed.delete(id);
      }
    }
    for (const id of ids) {
      if (followed.has(id)) continue;
      followed.set(id, ctx.live.follow(id, (m) => {
        if (m.type === 'status') runs.set(id, m.is_processing ? 'Refreshing…' : '');
        else if (m.type === 'event') runs.set(id, m.message || 'Refreshing…');
        else if (m.type === 'end') {
          runs.set(id, m.status === 'completed' ? 'Refreshed just now.' : 'The refresh failed.');
          if (!streaming) loadProject().catch(() => {});
        }
        const cell = reels.querySelector(`[data-task-id="${CSS.escape(id)}"] .run-state`);
        if (cell) cell.textContent = runs.get(id) ? ` · ${runs.get(id)}` : '';
      }));
    }
  }

  function paintReels() {
    const tasks = project().reel_tracking_tasks || [];
    if (tasks.length === 0) {
      fill(reels, h('p', {class: 'muted'}, 'No reels tracked in this project yet.'));
      return;
    }
    fill(reels, h('ul', {class: 'reels'}, tasks.map((t) => {
      const data = t.reel_data || {};
      const mood = data.sentiment_analysis || {};
      return h('li', {class: 'reel', dataset: {testid: 'task-row', taskId: t.task_id, status: t.status}},
        h('div', {class: 'reel-head'},
          h('a', {href: t.reel_url, target: '_blank', rel: 'noopener noreferrer'}, `Reel ${t.reel_id || ''}`),
          badge(mood.overall_sentiment || null)),
        h('p', {class: 'muted small'}, 'Last scrape: ', t.last_scraped ? fmt.relative(t.last_scraped) : 'not yet',
          h('span', {class: 'run-state', 'aria-live': 'polite'}, runs.get(t.task_id) ? ` · ${runs.get(t.task_id)}` : '')),
        h('dl', {class: 'post-stats'},
          ...[['Likes', data.likes], ['Comments', data.comments], ['Views', data.views ?? data.plays]].map(([label, v]) =>
            h('div', null, h('dt', null, label), h('dd', null, fmt.count(v))))),
        h('div', {class: 'row-actions'},
          h('button', {type: 'button', class: 'button button-small button-secondary', 'aria-label': `Refresh reel ${t.reel_id}`,
            onclick: () => refreshReel(t)}, 'Refresh'),
          h('button', {type: 'button', class: 'button button-small button-danger', 'aria-label': `Stop tracking reel ${t.reel_id}`,
            onclick: () => removeReel(t)}, 'Delete')));
    })));
  }

  async function refreshReel(t) {
    clearError();
    try {
      await post(`/ig-tracking/force_scrape_reel/${encodeURIComponent(t.task_id)}`);
      runs.set(t.task_id, 'Refreshing…');
      const cell = reels.querySelector(`[data-task-id="${CSS.escape(t.task_id)}"] .run-state`);
      if (cell) cell.textContent = ' · Refreshing…';
    } catch (e) {
      if (e.status === 409) showError('This reel is already being refreshed.');
      else if (e.status === 429) showError(`You have asked for many refreshes in a short time. Try again in ${e.retryAfter || 60} s.`);
      else showError(friendly(e, 'starting the refresh'));
    }
  }

  async function removeReel(t) {
    if (!window.confirm('Stop tracking this reel and delete its history?')) return;
    try {
      await del(`/ig-tracking/delete_reel_task/${encodeURIComponent(t.task_id)}`);
      notify('Reel deleted.');
      await loadProject();
    } catch (e) {
      showError(friendly(e, 'deleting the reel'));
    }
  }

  reelForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const url = reelInput.value.trim();
    if (!url) {
      showError('Enter the URL of an Instagram reel.');
      reelInput.focus();
      return;
    }
    clearError();
    reelSubmit.disabled = true;
    try {
      await post('/ig-tracking/create_reel_task', {project_name: projectName, reel_url: url});
      reelInput.value = '';
      notify('Tracking the reel. Its first refresh starts within a minute.');
      await loadProject();
    } catch (e) {
      showError(e.status === 409 ? 'This project already tracks that reel.' : friendly(e, 'adding the reel'));
    } finally {
      reelSubmit.disabled = false;
    }
  });

  // ---- chat ----

  function paintChat() {
    const chats = (project() && project().chats) || [];
    chat.dataset.messages = String(chats.length);
    const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
    fill(messages, chats.length === 0
      ? h('li', {class: 'chat-empty muted'}, 'Ask the assistant about this project’s reels or your tracked profiles.')
      : chats.map((m, i) => chatMessage(m, i === chats.length - 1)).filter(Boolean));
    if (atBottom || streaming) messages.scrollTop = messages.scrollHeight;
  }

  function chatMessage(m, isLast) {
    const role = m.role || 'assistant';
    const type = m.type || 'text';
    if (type === 'event' && role !== 'tool') {
      if (m.event_type === 'loading' && !(isLast && streaming)) return null;
      return h('li', {class: `chat-event chat-event-${m.event_type || 'info'}`, dataset: {testid: 'chat-message', role, type}}, m.text || m.event_type);
    }
    if (role === 'tool') {
      return h('li', {class: 'chat-tool', dataset: {testid: 'chat-message', role, type}},
        h('details', null, h('summary', null, `Looked up ${m.name || 'data'}`, m.result === null || m.result === undefined ? '…' : ''),
          h('pre', null, typeof m.result === 'string' ? m.result : JSON.stringify(m.result, null, 2))));
    }
    return h('li', {class: `chat-bubble chat-${role}`, dataset: {testid: 'chat-message', role, type}},
      h('span', {class: 'sr-only'}, role === 'user' ? 'You: ' : 'Assistant: '),
      h('p', {class: 'chat-text'}, typeof m.text === 'string' ? m.text : JSON.stringify(m.text)));
  }

  async function ask(text) {
    const p = project();
    if (text) {
      // the client adds its own message itself: one step, as the rules say
      applyChunk(userData, [{key_path: ['projects', projectName, 'chats'], mode: 'append', value: {role: 'user', type: 'text', text}}]);
    }
    streaming = true;
    chat.dataset.streaming = 'true';
    send.disabled = true;
    paintChat();
    let failed = null;
    try {
      const res = await fetch(`${BASE}/ai/respond`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', Accept: 'application/x-ndjson', Authorization: `Bearer ${token()}`},
        body: JSON.stringify({schema_version: '4.0', data: {project_name: projectName, message: {role: 'user', type: 'text', text}}}),
      });
      if (!res.ok || !(res.headers.get('Content-Type') || '').includes('ndjson')) {
        await readEnvelope(res);
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (value) buffer += value;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line) failed = chunk(line) || failed;
        }
        if (done) break;
      }
      if (buffer.trim()) failed = chunk(buffer.trim()) || failed;
    } catch (e) {
      failed = e instanceof ApiError ? friendly(e, 'asking the assistant') : 'The answer broke off. The chat is reloaded.';
    } finally {
      streaming = false;
      chat.dataset.streaming = 'false';
      send.disabled = false;
    }
    if (failed) showError(failed);
    // after the stream: reload only when our mod_count differs from the server's
    try {
      const count = await post('/project/get-project-mod-count', {project_name: projectName});
      if (count.response.mod_count !== p.mod_count || project() !== p) {
        reloads += 1;
        chat.dataset.reloads = String(reloads);
        await loadProject();
      }
    } catch (e) {
      showError(friendly(e, 'checking the chat'));
    }
    chat.dataset.modCount = String(project().mod_count);
    paintChat();
  }

  function chunk(line) {
    let json;
    try {
      json = JSON.parse(line);
    } catch {
      return 'The answer could not be read.';
    }
    if (json.result === false) return json.message || 'The answer failed.';
    const mods = json.response && json.response.data_mods;
    if (Array.isArray(mods)) {
      try {
        applyChunk(userData, mods);
      } catch {
        return 'The answer did not fit this page’s copy of the chat; it is reloaded.';
      }
      paintChat();
    }
    return null;
  }

  chatForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (streaming) return;
    const text = input.value;
    if (!text.trim()) {
      showError('Type a message first.');
      input.focus();
      return;
    }
    clearError();
    input.value = '';
    await ask(text);
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      chatForm.requestSubmit();
    }
  });

  try {
    await loadProject();
  } catch (e) {
    fill(root, h('p', {class: 'crumbs'}, h('a', {href: '#/projects'}, '← Projects')), h('h1', null, 'Project not available'),
      h('p', {class: 'card'}, e.status === 400 || e.status === 404 ? 'This project does not exist.' : friendly(e, 'loading the project')));
    return null;
  }
  chat.dataset.modCount = String(project().mod_count);
  return () => {
    for (const stop of followed.values()) stop();
    followed.clear();
  };
}
