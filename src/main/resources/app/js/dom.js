// Building the page from data with createElement only: every text from the server is a text node.

/**
 * h('button', {class: 'x', onclick: fn, dataset: {testid: 'y'}}, 'text', child, ...)
 * Attributes named on* become event listeners (never inline handlers); `dataset` sets data-*;
 * `hidden`, `disabled`, `checked`, `selected`, `value` are set as properties; null/false skip.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'dataset') {
        for (const [k, v] of Object.entries(value)) {
          if (v !== null && v !== undefined) el.dataset[k] = String(v);
        }
      } else if (key === 'class') {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      } else if (['hidden', 'disabled', 'checked', 'selected', 'value', 'required', 'multiple'].includes(key)) {
        el[key] = value;
      } else if (value === true) {
        el.setAttribute(key, '');
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A test id selector inside a root. */
export function byTestId(root, id) {
  return root.querySelector(`[data-testid="${id}"]`);
}

let ids = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled form field: label + control wrapped in a div. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uid('f');
  const hintEl = hint ? h('span', {class: 'hint', id: control.id + '-hint'}, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', {class: 'field'}, h('label', {for: control.id}, labelText), control, hintEl);
}

/** A <select> from [value, label] pairs. */
export function select(options, attrs = {}, selected) {
  return h('select', attrs, options.map(([value, label]) =>
    h('option', {value, selected: String(value) === String(selected)}, label)));
}
