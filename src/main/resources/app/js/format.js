// Numbers and dates in the browser's locale (Intl, default locale = the browser's).

const cache = new Map();
function nf(options) {
  const key = JSON.stringify(options);
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(undefined, options));
  return cache.get(key);
}

const DASH = '—';

/** A count: 9,660 (en) / 9.660 (de). */
export function count(n) {
  return n === null || n === undefined ? DASH : nf({maximumFractionDigits: 0}).format(n);
}

/** A decimal with up to `digits` fraction digits. */
export function decimal(n, digits = 2) {
  return n === null || n === undefined ? DASH : nf({maximumFractionDigits: digits}).format(n);
}

/** A value already in percent units (5.24 → "5.24 %" in the locale's style). */
export function percent(n, digits = 2) {
  return n === null || n === undefined ? DASH
    : nf({style: 'percent', maximumFractionDigits: digits}).format(n / 100);
}

/** A signed value in percent units (+55.6 %). */
export function signedPercent(n, digits = 1) {
  return n === null || n === undefined ? DASH
    : nf({style: 'percent', maximumFractionDigits: digits, signDisplay: 'exceptZero'}).format(n / 100);
}

/** A signed number (+12). */
export function signed(n, digits = 1) {
  return n === null || n === undefined ? DASH
    : nf({maximumFractionDigits: digits, signDisplay: 'exceptZero'}).format(n);
}

/** Compact (12K) for axes. */
export function compact(n) {
  return n === null || n === undefined ? DASH : nf({notation: 'compact', maximumFractionDigits: 1}).format(n);
}

const dateTime = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});
const dateOnly = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium'});
const shortDate = new Intl.DateTimeFormat(undefined, {month: 'short', day: 'numeric'});
const timeOnly = new Intl.DateTimeFormat(undefined, {hour: 'numeric', minute: '2-digit'});
const timeSeconds = new Intl.DateTimeFormat(undefined, {hour: 'numeric', minute: '2-digit', second: '2-digit'});

/** Epoch seconds → "30 Nov 2026, 04:05". */
export function when(epochSeconds) {
  return epochSeconds ? dateTime.format(new Date(epochSeconds * 1000)) : DASH;
}

export function day(epochSeconds) {
  return epochSeconds ? dateOnly.format(new Date(epochSeconds * 1000)) : DASH;
}

/** Axis tick: the date, or the time (with seconds for a span under ten minutes). */
export function tick(epochSeconds, spanSeconds) {
  const d = new Date(epochSeconds * 1000);
  if (spanSeconds < 600) return timeSeconds.format(d);
  return spanSeconds < 2 * 86400 ? timeOnly.format(d) : shortDate.format(d);
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, {numeric: 'auto'});
const UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];

/** Epoch seconds → "in 2 days" / "5 minutes ago". */
export function relative(epochSeconds, now = Date.now() / 1000) {
  if (!epochSeconds) return DASH;
  const diff = epochSeconds - now;
  for (const [unit, seconds] of UNITS) {
    if (Math.abs(diff) >= seconds) return relativeFormat.format(Math.round(diff / seconds), unit);
  }
  return relativeFormat.format(0, 'minute');
}

/** Interval in days → "2 days" / "12 hours". */
export function interval(days) {
  if (days === null || days === undefined) return DASH;
  if (days >= 1) return new Intl.NumberFormat(undefined, {style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 2}).format(days);
  return new Intl.NumberFormat(undefined, {style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 1}).format(days * 24);
}

/** The locale's list: "a, b and c". */
export function list(items) {
  return new Intl.ListFormat(undefined, {style: 'long', type: 'conjunction'}).format(items);
}

/** A language code → its name in the browser's locale ("pt" → "Portuguese"). */
export function language(code) {
  if (!code || code === 'unknown') return 'unknown';
  try {
    return new Intl.DisplayNames(undefined, {type: 'language'}).of(code) || code;
  } catch {
    return code;
  }
}

const plurals = new Intl.PluralRules('en'); // the words are English
/** "1 comment" / "2 comments" (English words, the locale's number). */
export function plural(n, one, other) {
  return `${count(n)} ${plurals.select(n) === 'one' ? one : other}`;
}
