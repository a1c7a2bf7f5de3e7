// The API client: the request envelope, the bearer token, the failure envelope as ApiError.

import {token} from './session.js';

export const BASE = '/codvid-ai';

export class ApiError extends Error {
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

function url(path, query) {
  const u = new URL(BASE + path, window.location.origin);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v !== null && v !== undefined) u.searchParams.set(k, String(v));
    }
  }
  return u.pathname + u.search;
}

function headers(auth, body) {
  const h = {Accept: 'application/json'};
  if (body) h['Content-Type'] = 'application/json';
  const t = auth ? token() : null;
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

/** Sends a request; answers the parsed success envelope or throws ApiError. */
export async function call(method, path, data, {query, auth = true, signal} = {}) {
  const body = method === 'GET' ? undefined : JSON.stringify({schema_version: '4.0', data: data || {}});
  let res;
  try {
    res = await fetch(url(path, query), {method, headers: headers(auth, body), body, signal, cache: 'no-store'});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Could not reach the server. Check your connection and try again.');
  }
  return readEnvelope(res, auth);
}

export async function readEnvelope(res, auth = true) {
  let json = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      json = await res.json();
    } catch {
      json = null;
    }
  }
  if (!res.ok || !json || json.result === false) {
    const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
    const message = json && json.message ? json.message : `The server answered ${res.status}.`;
    const error = new ApiError(res.status, message, Number.isFinite(retry) ? retry : null);
    if (res.status === 401 && auth) {
      window.dispatchEvent(new CustomEvent('codvid:unauthorized', {detail: message}));
    }
    throw error;
  }
  return json;
}

export const get = (path, query, opts) => call('GET', path, null, {...opts, query});
export const post = (path, data, opts) => call('POST', path, data, opts);
export const put = (path, data, opts) => call('PUT', path, data, opts);
export const del = (path, data, opts) => call('DELETE', path, data, opts);

/**
 * Downloads a file with the Authorization header (fetch + Blob), so the token never appears
 * in a URL, history or server log; the file name comes from Content-Disposition.
 */
export async function download(path, query, fallbackName) {
  let res;
  try {
    res = await fetch(url(path, query), {headers: headers(true, false), cache: 'no-store'});
  } catch {
    throw new ApiError(0, 'Could not reach the server. Check your connection and try again.');
  }
  if (!res.ok) {
    await readEnvelope(res);
  }
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') || '';
  const match = /filename="?([^";]+)"?/i.exec(disposition);
  const name = match ? match[1] : fallbackName;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return {name, size: blob.size};
}

/** What to tell a person about a failure. */
export function friendly(error, what) {
  if (!(error instanceof ApiError)) {
    return `Something went wrong${what ? ' while ' + what : ''}. Please try again.`;
  }
  const retry = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : ' Try again in a moment.';
  switch (error.status) {
    case 0:
      return error.message;
    case 401:
      return 'Your session has ended. Please log in again.';
    case 409:
      return error.message;
    case 413:
      return 'That is too much text to send at once.';
    case 429:
      return `Too many requests right now.${retry}`;
    case 500:
      return `The server hit an error${what ? ' while ' + what : ''}. ${error.message}`;
    case 502:
    case 503:
    case 504:
      return `The server is busy or one of its services is unavailable.${retry}`;
    default:
      return error.message;
  }
}
