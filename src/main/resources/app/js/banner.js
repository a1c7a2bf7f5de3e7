// The one error banner (data-testid="error-banner") and a polite status line for successes.

const banner = () => document.querySelector('[data-testid="error-banner"]');

export function showError(message) {
  const el = banner();
  el.querySelector('.error-text').textContent = message;
  el.hidden = false;
}

export function clearError() {
  const el = banner();
  el.hidden = true;
  el.querySelector('.error-text').textContent = '';
}

let toastTimer = null;
/** A short confirmation, read out by screen readers, gone after a few seconds. */
export function notify(message) {
  let el = document.querySelector('.toast');
  if (!el) {
    el = document.createElement('p');
    el.className = 'toast';
    el.setAttribute('role', 'status');
    document.body.appendChild(el);
  }
  el.textContent = message;
  el.classList.add('toast-visible');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('toast-visible'), 3500);
}

export function initBanner() {
  banner().querySelector('.error-close').addEventListener('click', clearError);
}
