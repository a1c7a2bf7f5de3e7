// Sign up and log in with an email and a password.

import {h, field} from '../dom.js';
import {post, friendly} from '../api.js';
import {saveSession} from '../session.js';
import {showError, clearError} from '../banner.js';

export const NAME = 'login';

export async function render(root, params, ctx) {
  const email = h('input', {type: 'email', name: 'email', autocomplete: 'username', required: true,
    dataset: {testid: 'login-email'}, inputmode: 'email', spellcheck: 'false'});
  const password = h('input', {type: 'password', name: 'password', autocomplete: 'current-password', required: true,
    dataset: {testid: 'login-password'}, minlength: '8'});
  const loginButton = h('button', {type: 'submit', class: 'button', dataset: {testid: 'login-submit', action: 'login'}}, 'Log in');
  const signupButton = h('button', {type: 'submit', class: 'button button-secondary', dataset: {testid: 'signup-submit', action: 'signup'}}, 'Create account');

  const form = h('form', {class: 'card auth-card', novalidate: true, 'aria-labelledby': 'auth-title'},
    h('h1', {id: 'auth-title'}, 'Codvid AI'),
    h('p', {class: 'lead'}, 'Watch your Instagram profiles and your competitors’: engagement, growth and what the comments say.'),
    field('Email', email),
    field('Password', password, 'New accounts: at least 8 characters, not a common password.'),
    h('div', {class: 'actions'}, loginButton, signupButton));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const action = event.submitter && event.submitter.dataset.action === 'signup' ? 'signup' : 'login';
    if (!email.value.trim() || !password.value) {
      showError('Enter your email and password.');
      (email.value.trim() ? password : email).focus();
      return;
    }
    clearError();
    loginButton.disabled = true;
    signupButton.disabled = true;
    try {
      const answer = await post(`/auth/${action}`, {auth_type: 'email', email: email.value.trim(), password: password.value}, {auth: false});
      saveSession(answer.token, answer.user_id, email.value.trim());
      password.value = '';
      ctx.signedIn();
    } catch (e) {
      if (e.status === 429) {
        const wait = e.retryAfter ? ` Try again in ${e.retryAfter} s.` : '';
        showError(action === 'signup' ? `Too many new accounts from this address.${wait}` : `Too many failed logins.${wait}`);
      } else {
        showError(friendly(e, action === 'signup' ? 'creating your account' : 'logging in'));
      }
      password.focus();
    } finally {
      loginButton.disabled = false;
      signupButton.disabled = false;
    }
  });

  root.replaceChildren(h('section', {class: 'auth'}, form));
  email.focus();
}
