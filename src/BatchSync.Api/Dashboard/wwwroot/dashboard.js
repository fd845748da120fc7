// BatchSync dashboard: sign-in, routing and refresh. It reads the admin API with a token kept in this tab's sessionStorage only.

import { $ } from './dom.js';
import { TOKEN_KEY, AuthError, api, run, whenAuthLost } from './api.js';
import { refreshSyncs, refreshDevices, showDay, refreshActivity, refreshAudit, useMap } from './views.js';

let config = { tile_url: null, tile_attribution: null, refresh_seconds: 5 };
let timer = null;

// ---------- sign-in ----------
async function signIn(event) {
  event.preventDefault();
  const error = $('sign-in-error');
  error.hidden = true;
  const token = $('token').value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    await api('/sessions?page_size=1');
    $('token').value = '';
    showSignedIn(true);
    route();
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    error.textContent = e instanceof AuthError ? e.message : `The server did not answer (${e.message}).`;
    error.hidden = false;
  }
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  showSignedIn(false);
  if (message) {
    $('sign-in-error').textContent = message;
    $('sign-in-error').hidden = false;
  }
}

function showSignedIn(signedIn) {
  $('sign-in').hidden = signedIn;
  $('tabs').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
  if (!signedIn) {
    document.querySelectorAll('.view').forEach((v) => { v.hidden = true; });
    clearInterval(timer);
    timer = null;
  }
}

// ---------- routing: #syncs, #devices, #device/<id>/<date>, #activity ----------
whenAuthLost((message) => signOut(message));

const views = {
  syncs: { show: () => refreshSyncs(), refresh: () => refreshSyncs() },
  devices: { show: () => refreshDevices(), refresh: () => refreshDevices() },
  device: { show: (args) => showDay(args[0], args[1]), refresh: null },
  activity: { show: () => refreshActivity(), refresh: () => refreshAudit() },
};

function route() {
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    showSignedIn(false);
    return;
  }
  const [name, ...args] = (location.hash.slice(1) || 'syncs').split('/').map(decodeURIComponent);
  const view = views[name] ? name : 'syncs';
  document.querySelectorAll('.view').forEach((v) => { v.hidden = true; });
  $(view === 'device' ? 'view-day' : `view-${view}`).hidden = false;
  document.querySelectorAll('#tabs a').forEach((a) => a.classList.toggle('active', a.dataset.view === (view === 'device' ? 'devices' : view)));
  clearInterval(timer);
  run(views[view].show(args));
  if (views[view].refresh) {
    timer = setInterval(() => { if (!document.hidden) run(views[view].refresh()); }, config.refresh_seconds * 1000);
  }
}

// ---------- start ----------
async function start() {
  try {
    const response = await fetch('/dashboard/config.json');
    if (response.ok) config = { ...config, ...(await response.json()) };
    useMap({ tile_url: config.tile_url, tile_attribution: config.tile_attribution });
  } catch (e) {
    console.warn('dashboard: no config', e.message);
  }
  $('sign-in-form').addEventListener('submit', (e) => run(signIn(e)));
  $('sign-out').addEventListener('click', () => signOut());
  $('sync-status').addEventListener('change', () => run(refreshSyncs()));
  window.addEventListener('hashchange', route);
  if (sessionStorage.getItem(TOKEN_KEY)) {
    showSignedIn(true);
    route();
  } else {
    showSignedIn(false);
  }
}

start();
