// WCAG 2.x contrast of every visible text on the page against the background behind it:
// answers the texts below 4.5:1 (3:1 for large text). Disabled controls are exempt, as WCAG says.
const parse = (c) => {
  const m = /rgba?\(([^)]+)\)/.exec(c || '');
  if (!m) return null;
  const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
};
const channel = (v) => {
  const s = v / 255;
  return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
};
const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
const over = (top, bottom) => ({
  r: top.r * top.a + bottom.r * (1 - top.a),
  g: top.g * top.a + bottom.g * (1 - top.a),
  b: top.b * top.a + bottom.b * (1 - top.a),
  a: 1,
});
const background = (el) => {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) {
      layers.push(c);
      if (c.a >= 1) break;
    }
  }
  let result = {r: 255, g: 255, b: 255, a: 1};
  for (let i = layers.length - 1; i >= 0; i -= 1) result = over(layers[i], result);
  return result;
};
const failures = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!node.textContent.trim()) continue;
  const el = node.parentElement;
  if (!el || el.closest('option, script, style, [hidden], .sr-only, canvas')) continue;
  if (el.closest(':disabled')) continue;
  const rect = el.getBoundingClientRect();
  if (rect.width < 2 || rect.height < 2) continue;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
  const fg = parse(style.color);
  if (!fg) continue;
  const bg = background(el);
  const color = over(fg, bg);
  const l1 = luminance(color);
  const l2 = luminance(bg);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const size = parseFloat(style.fontSize);
  const bold = Number(style.fontWeight) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  const need = large ? 3 : 4.5;
  if (ratio < need) {
    failures.push(`${ratio.toFixed(2)}:1 < ${need}:1 for "${node.textContent.trim().slice(0, 40)}" (${style.color} on rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)}))`);
  }
}
return failures;
