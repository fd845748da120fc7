// The admin API, with the token kept in this tab's sessionStorage only.

export const TOKEN_KEY = 'batchsync.admin-token';
export const API = '/api/v1/admin';

export class AuthError extends Error {}

export async function api(path) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new AuthError('Signed out');
  const response = await fetch(API + path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  if (response.status === 401 || response.status === 403) {
    throw new AuthError(response.status === 401 ? 'That token is unknown or revoked.' : 'That token is not an admin token.');
  }
  if (!response.ok) throw new Error(`${response.status} on ${path}`);
  return (await response.json()).data;
}

export async function download(path, name) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(API + path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${response.status} on ${path}`);
  const url = URL.createObjectURL(await response.blob());
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
let authLost = () => {};

/** What to do when the API stops taking the token (signed out elsewhere, revoked). */
export function whenAuthLost(handler) {
  authLost = handler;
}

/** Runs a view's work; a refused token signs out, anything else is noted and retried at the next refresh. */
export function run(pending) {
  Promise.resolve(pending).catch((e) => {
    if (e instanceof AuthError) authLost(e.message);
    else console.warn('dashboard:', e.message);
  });
}
