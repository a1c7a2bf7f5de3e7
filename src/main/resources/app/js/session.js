// The session token lives in this tab's sessionStorage (gone when the tab closes), never in a
// URL or a cookie. Only the WebSocket URL carries it (?token=), because browsers cannot set
// headers on a WebSocket handshake.

const KEY = 'codvid.session';

export function session() {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

export function token() {
  const s = session();
  return s ? s.token : null;
}

export function saveSession(token, userId, email) {
  sessionStorage.setItem(KEY, JSON.stringify({token, user_id: userId, email}));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}
