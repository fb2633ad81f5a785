"""What every page must satisfy in Chromium, at a phone's and a laptop's width, in either language.

`check_page(page, ...)` returns a list of problems (empty when the page is fine):
- nothing wider than the viewport (outside a box that scrolls sideways on purpose);
- no table cell narrower than its longest word (a CJK run counts as a word of up to four characters), the
  "one character per line" failure of list tables on phones;
- axe-core (vendored from npm, tests/browser/vendor/axe-core) finds no serious or critical violation;
- on English pages, no CJK text in headings and navigation, except text marked with its own `lang`
  (a startup's own project title, a person's name, the 中文 link of the language switcher).
Console errors are collected by `watch_console` for the whole page's life.
"""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
SERIOUS = ("serious", "critical")

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => { for (let e = el.parentElement; e; e = e.parentElement) {
      const s = getComputedStyle(e); if (/(auto|scroll|hidden)/.test(s.overflowX) && e !== document.body && e !== document.documentElement) return true; }
    return false; };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > width + 1 || r.left < -1) && !scrolls(el) && getComputedStyle(el).position !== 'fixed') {
      wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''} (${Math.round(r.left)}..${Math.round(r.right)} of ${width}px)`);
    }
  }
  return wide.slice(0, 5);
}"""

# A cell's longest unbreakable piece: a Latin word (at most 20 characters: longer strings such as URLs
# may break anywhere; a hyphen ends a piece, as browsers break lines after one), or four CJK characters.
NARROW_CELLS_JS = """() => {
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;left:-9999px;top:0';
  document.body.appendChild(probe);
  const narrow = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.offsetParent || cell.querySelector('progress')) continue;
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let found = null;
    for (let node = walker.nextNode(); node && !found; node = walker.nextNode()) {
      const holder = node.parentElement;
      if (!holder.getClientRects().length || getComputedStyle(holder).whiteSpace === 'nowrap') continue;
      // a browser may break a line after a hyphen ("Research-to-Market"): each part is a word of its own
      const pieces = node.textContent.trim().split(/\\s+|(?<=-)/).flatMap((w) => w.match(/[\\u3000-\\u9fff\\uff00-\\uffef]{1,4}|[^\\u3000-\\u9fff\\uff00-\\uffef]{1,20}/g) || []);
      probe.style.font = getComputedStyle(holder).font;  // a badge's or button's text is smaller than the cell's
      for (const piece of pieces) {
        probe.textContent = piece;
        if (probe.getBoundingClientRect().width > room + 1) { found = `"${piece}" in a ${Math.round(room)}px cell: ${cell.innerText.trim().slice(0, 40)}`; break; }
      }
    }
    if (found) narrow.push(found);
  }
  probe.remove();
  return narrow.slice(0, 5);
}"""

CJK_IN_CHROME_JS = """() => {
  const cjk = /[\\u3400-\\u9fff]/;
  const found = [];
  const own = (node) => node.parentElement && node.parentElement.closest('[lang]:not(html)');
  for (const root of document.querySelectorAll('nav, h1, h2, h3, h4, h5, h6')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (cjk.test(node.textContent) && !own(node) && node.parentElement.getClientRects().length) {
        found.push(`${root.tagName.toLowerCase()}: ${node.textContent.trim().slice(0, 40)}`);
      }
    }
  }
  return found.slice(0, 5);
}"""


# Everything a keyboard user should reach with Tab, marked with its place; a radio group is one stop (the
# arrow keys move within it).
MARK_FOCUSABLE_JS = """() => {
  const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), '
    + 'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  const shown = el => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    // checkVisibility: not inside a closed <details> (its content keeps a layout box but is not rendered)
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && el.checkVisibility()
      && !el.closest('[inert], [aria-hidden=true]');
  };
  const stops = new Map();
  for (const el of document.querySelectorAll(selector)) {
    if (!shown(el) || el.tabIndex < 0) continue;
    const key = el.type === 'radio' && el.name ? `radio:${el.name}` : `el:${stops.size}`;
    el.dataset.keyboardStop = key;
    const name = el.innerText || el.value || el.name || el.getAttribute('aria-label') || el.getAttribute('href') || '';
    if (!stops.has(key)) stops.set(key, `${el.tagName.toLowerCase()} ${name.trim().slice(0, 40)}`);
  }
  return Object.fromEntries(stops);
}"""

# The element Tab moved to: which stop it is, and whether the user can see that it has the focus.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.tagName === 'IFRAME') return null;
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  // a date or time field's own calendar/clock button (inside the field, drawn and ringed by the browser)
  const pickerButton = /^(date|time|datetime-local|month|week)$/.test(el.type) && !el.matches(':focus');
  const ring = pickerButton || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  return {key: el.dataset.keyboardStop || null, ring, shown: box.width > 1 && box.height > 1,
          name: `${el.tagName.toLowerCase()} ${(el.innerText || el.value || el.name || '').trim().slice(0, 40)}`};
}"""


def keyboard_problems(page: Page) -> list[str]:
    """Tab through the page as a keyboard user: every control is reached, and each shows where the focus is."""
    stops = page.evaluate(MARK_FOCUSABLE_JS)
    # the focus ring is read right after each key: without transitions it is already drawn
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached, problems = set(), []
    # a date or time field takes one Tab per part (year, month, day, hour, minute, AM/PM, its picker button)
    presses = len(stops) + 7 * page.locator("input[type=date], input[type=time], input[type=datetime-local], "
                                             "input[type=month]").count() + 3
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None:
            continue
        reached.add(focused["key"])
        if not focused["ring"]:
            problems.append(f"no visible focus on {focused['name']}")
        if not focused["shown"]:
            problems.append(f"focus on an element that cannot be seen: {focused['name']}")
    problems += [f"not reachable with Tab: {name}" for key, name in stops.items() if key not in reached]
    return sorted(set(problems))


def watch_console(page: Page, problems: list[str]) -> None:
    """Collect console errors and uncaught exceptions of `page` into `problems` (a failed resource load,
    such as a missing /favicon.ico, is a console error too)."""
    page.on("console", lambda msg: problems.append(f"{page.url}: console {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))


def axe_violations(page: Page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE)  # the checking context bypasses CSP for this
    results = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    return [f"axe {v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in results if v["impact"] in SERIOUS]


def check_page(page: Page, *, english: bool) -> list[str]:
    problems = [f"wider than the viewport: {w}" for w in page.evaluate(OVERFLOW_JS)]
    problems += [f"table cell narrower than its longest word: {c}" for c in page.evaluate(NARROW_CELLS_JS)]
    problems += axe_violations(page)
    if english:
        problems += [f"CJK text on an English page: {t}" for t in page.evaluate(CJK_IN_CHROME_JS)]
    return problems
