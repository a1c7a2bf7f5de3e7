// The dashboard's entry point: hash routes, the session, the live socket, the page frame.

import {h, fill} from './dom.js';
import {session, clearSession} from './session.js';
import {Live} from './live.js';
import {initBanner, showError, clearError} from './banner.js';
import {destroyAll} from './charts.js';
import * as login from './pages/login.js';
import * as profiles from './pages/profiles.js';
import * as profile from './pages/profile.js';
import * as benchmark from './pages/benchmark.js';
import * as projects from './pages/projects.js';
import * as alerts from './pages/alerts.js';

const live = new Live();
const main = document.getElementById('main');
let cleanup = null;
let pendingRoute = null;
let firstRender = true;
let generation = 0;

const ROUTES = [
  [/^#\/login$/, login, 'Log in', null],
  [/^#\/profiles$/, profiles, 'Profiles', 'profiles'],
  [/^#\/profile\/([^/]+)$/, profile, 'Profile', 'profiles'],
  [/^#\/benchmark$/, benchmark, 'Benchmark', 'benchmark'],
  [/^#\/projects$/, projects, 'Projects', 'projects'],
  [/^#\/projects\/(.+)$/, projects, 'Project', 'projects'],
  [/^#\/alerts$/, alerts, 'Alerts', 'alerts'],
];

export function navigate(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

function signedIn() {
  return session() !== null;
}

function frame() {
  const inside = signedIn();
  document.querySelector('.nav').hidden = !inside;
  document.querySelector('[data-testid="logout"]').hidden = !inside;
  const who = session();
  document.querySelector('[data-testid="logout"]').title = who && who.email ? `Signed in as ${who.email}` : '';
}

async function route() {
  let hash = window.location.hash || '';
  if (!signedIn() && hash !== '#/login') {
    pendingRoute = hash && hash !== '#/' ? hash : null;
    if (hash !== '#/login') {
      window.location.replace('#/login');
      return;
    }
  }
  if (signedIn() && (hash === '' || hash === '#/' || hash === '#/login')) {
    window.location.replace('#/profiles');
    return;
  }
  const match = ROUTES.map(([pattern, page, title, nav]) => [pattern.exec(hash), page, title, nav]).find(([m]) => m);
  if (!match) {
    window.location.replace(signedIn() ? '#/profiles' : '#/login');
    return;
  }
  const [m, page, title, nav] = match;
  if (cleanup) {
    try {
      cleanup();
    } catch {
      // a page's cleanup never stops the next page
    }
    cleanup = null;
  }
  destroyAll();
  frame();
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${title} · Codvid AI`;
  document.body.dataset.page = page.NAME;
  const gen = ++generation;
  delete main.dataset.ready;
  const root = h('div', {class: 'page'}, h('p', {class: 'loading-note'}, 'Loading…'));
  fill(main, root);
  const params = m.slice(1).map((p) => decodeURIComponent(p));
  const context = {live, navigate, signedIn: onSignedIn, current: () => gen === generation};
  let ownCleanup = null;
  try {
    ownCleanup = await page.render(root, params, context);
  } catch (e) {
    showError(e && e.message ? e.message : 'This page could not be shown.');
  }
  if (gen !== generation) {
    if (typeof ownCleanup === 'function') ownCleanup();
    return;
  }
  cleanup = typeof ownCleanup === 'function' ? ownCleanup : null;
  if (!firstRender) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({preventScroll: false});
    }
  }
  firstRender = false;
  main.dataset.ready = hash;
}

function onSignedIn() {
  clearError();
  live.start();
  const next = pendingRoute;
  pendingRoute = null;
  navigate(next || '#/profiles');
}

function logout(message) {
  live.stop();
  clearSession();
  if (message) showError(message);
  else clearError();
  navigate('#/login');
}

function start() {
  initBanner();
  // the skip link must not change the hash: that is the router's
  document.querySelector('.skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  document.querySelector('[data-testid="logout"]').addEventListener('click', () => logout(null));
  window.addEventListener('codvid:unauthorized', () => {
    if (signedIn()) logout('Your session has ended. Please log in again.');
  });
  window.addEventListener('hashchange', route);
  if (signedIn()) live.start();
  route();
}

start();
