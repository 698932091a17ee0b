// Drives the code-server workbench with the keyboard, the way a user would, and reads what it
// renders. Selectors and traps: shared/reference/real-clients.md.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM_PATH } from './paths.mjs';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // CI containers often give /dev/shm only 64 MB, too little for the workbench's renderer.
  '--disable-dev-shm-usage',
];

/** Keyboard shortcuts right after the workbench appears are dropped; this is the one settle. */
const WORKBENCH_SETTLE_MS = 1_000;
const WORKBENCH_TIMEOUT_MS = 60_000;

const QUICK_INPUT = '.quick-input-widget input:focus';
const HOVER = '.monaco-hover:not(.hidden) .monaco-hover-content';
const ACTION_ROW = '.action-widget .monaco-list-row.action';
const PROBLEM_ROW = '.markers-panel .monaco-list-row';

/** Launches Debian's Chromium headless through playwright-core (which downloads no browser). */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * Opens `folder` in the workbench and waits until the explorer lists its files and the editor
 * part is ready for keys.
 */
export async function openWorkbench(browser, url, folder) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: WORKBENCH_TIMEOUT_MS });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', {
    timeout: WORKBENCH_TIMEOUT_MS,
  });
  await page.waitForTimeout(WORKBENCH_SETTLE_MS);
  return page;
}

/** Opens a workspace file through Quick Open and waits until its editor has focus. */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await page.waitForSelector(QUICK_INPUT);
  await page.keyboard.type(name);
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`);
  await page.waitForSelector('.monaco-editor.focused .view-lines');
}

/** Puts focus back in the active editor (a click on a panel keeps focus there). */
export async function focusEditor(page) {
  await page.keyboard.press('Control+1');
  await page.waitForSelector('.monaco-editor.focused');
}

/**
 * Moves the cursor to a 1-based line and character with Go to Line, which also scrolls the line
 * into view. The status bar is checked for the line only: it counts columns visually, so a tab
 * there is worth the tab size.
 */
export async function goTo(page, line, column) {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  await page.waitForSelector(QUICK_INPUT);
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.monaco-editor.focused');
  await page.waitForFunction(
    (expected) => document.querySelector('.statusbar')?.textContent?.includes(expected),
    `Ln ${line},`,
  );
}

/** Shows the Problems panel (Ctrl+Shift+M), unless it is up already. */
export async function openProblems(page) {
  if (!(await page.isVisible('.markers-panel'))) {
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel');
  }
}

/**
 * Waits until every pattern matches some row of the Problems panel and returns the rows. A row is
 * `{ label, text }`: its aria-label (severity, message, line, column, source) and its rendered
 * text (which carries the diagnostic code); a pattern is tried against `label || text`.
 */
export async function waitForProblems(page, patterns, { timeout = 30_000 } = {}) {
  await openProblems(page);
  try {
    await page.waitForFunction(
      ({ selector, sources }) => {
        const rows = [...document.querySelectorAll(selector)].map(
          (row) => `${row.getAttribute('aria-label') ?? ''} || ${row.textContent ?? ''}`,
        );
        return sources.every(([source, flags]) =>
          rows.some((row) => new RegExp(source, flags).test(row)),
        );
      },
      {
        selector: PROBLEM_ROW,
        sources: patterns.map((pattern) => [pattern.source, pattern.flags]),
      },
      { timeout },
    );
  } catch (error) {
    const rows = await readProblems(page);
    throw new Error(
      `the Problems panel never showed ${patterns.join(', ')}; it showed:\n${formatRows(rows)}`,
      { cause: error },
    );
  }
  return readProblems(page);
}

/**
 * Waits until no row of the Problems panel matches `pattern` (tried as in waitForProblems),
 * while `present` still matches one, so an empty panel that has not rendered yet does not pass.
 */
export async function waitForProblemGone(page, pattern, present, { timeout = 30_000 } = {}) {
  await openProblems(page);
  try {
    await page.waitForFunction(
      ({ selector, gone, kept }) => {
        const rows = [...document.querySelectorAll(selector)].map(
          (row) => `${row.getAttribute('aria-label') ?? ''} || ${row.textContent ?? ''}`,
        );
        const matches = ([source, flags]) =>
          rows.some((row) => new RegExp(source, flags).test(row));
        return !matches(gone) && matches(kept);
      },
      {
        selector: PROBLEM_ROW,
        gone: [pattern.source, pattern.flags],
        kept: [present.source, present.flags],
      },
      { timeout },
    );
  } catch (error) {
    const rows = await readProblems(page);
    throw new Error(
      `the Problems panel kept ${pattern} (or lost ${present}); it showed:\n${formatRows(rows)}`,
      { cause: error },
    );
  }
}

/** Reads the rows the Problems panel renders now. */
export function readProblems(page) {
  return page.$$eval(PROBLEM_ROW, (elements) =>
    elements.map((element) => ({
      label: element.getAttribute('aria-label') ?? '',
      text: element.textContent ?? '',
    })),
  );
}

function formatRows(rows) {
  return rows.map((row) => `  ${row.label} || ${row.text}`).join('\n') || '  (no rows)';
}

/**
 * Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its parts: `markers` holds the
 * diagnostics' text the workbench adds, `provided` the markdown that hover providers (language
 * servers) returned.
 */
export async function showHover(page, { timeout = 15_000 } = {}) {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  await page.waitForSelector(HOVER, { timeout });
  const readAll = (selector) =>
    page.$$eval(`${HOVER} ${selector}`, (elements) => elements.map((e) => e.innerText));
  return { markers: await readAll('.marker'), provided: await readAll('.markdown-hover') };
}

/** Closes whatever widget is up (hover, menu, quick input). */
export async function dismiss(page) {
  await page.keyboard.press('Escape');
}

/**
 * Opens the code-action menu at the cursor (Ctrl+.) and applies the first action whose title
 * matches `pattern`, choosing it with the arrow keys: mouse clicks on the menu are swallowed by an
 * overlay. Waits until the edit has made the editor dirty and returns the titles the menu offered.
 */
export async function applyCodeAction(page, pattern, { timeout = 15_000 } = {}) {
  await page.keyboard.press('Control+.');
  await page.waitForSelector(ACTION_ROW, { timeout });
  const titles = await page.$$eval(ACTION_ROW, (rows) =>
    rows.map((row) => row.getAttribute('aria-label') ?? ''),
  );
  const wanted = titles.findIndex((title) => pattern.test(title));
  if (wanted < 0) {
    await dismiss(page);
    throw new Error(`no code action matches ${pattern}; offered:\n  ${titles.join('\n  ')}`);
  }
  for (let step = 0; step < titles.length; step++) {
    const focused = await page.getAttribute(`${ACTION_ROW}.focused`, 'aria-label');
    if (focused === titles[wanted]) {
      break;
    }
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await page.waitForSelector('.action-widget', { state: 'hidden' });
  // The edit arrives a moment after Enter; a save before it would write the old text.
  await page.waitForSelector('.tab.active.dirty', { timeout });
  return titles;
}

/** Saves the active editor and waits until its tab is no longer dirty. */
export async function save(page) {
  await page.keyboard.press('Control+S');
  await page.waitForSelector('.tab.active:not(.dirty)');
}

/** Returns the code lenses the editor renders now, as `{ text, top }` in screen order. */
export function readCodeLenses(page) {
  return page.$$eval('.monaco-editor .codelens-decoration', (elements) =>
    elements
      .map((e) => ({ text: e.textContent ?? '', top: e.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top),
  );
}

/** Waits until a code lens whose text matches `pattern` is rendered and returns it. */
export async function waitForCodeLens(page, pattern, { timeout = 30_000 } = {}) {
  await page
    .locator('.monaco-editor .codelens-decoration', { hasText: pattern })
    .first()
    .waitFor({ timeout });
  return (await readCodeLenses(page)).find((lens) => pattern.test(lens.text));
}

/**
 * Returns the screen top of the first rendered line whose text matches `pattern`, or null. Editor
 * lines show spaces as U+00A0, which `\s` matches and a plain space does not.
 */
export async function findLineTop(page, pattern) {
  const line = page.locator('.monaco-editor .view-line', { hasText: pattern }).first();
  if ((await line.count()) === 0) {
    return null;
  }
  return (await line.boundingBox())?.y ?? null;
}

/**
 * Returns the class names of the rendered token spans whose text is exactly `token`, in screen
 * order. Monaco renders each token as a span with one `mtk<N>` class per distinct colour.
 */
export function readTokenClasses(page, token) {
  return page.$$eval(
    '.monaco-editor .view-line span span',
    (spans, wanted) =>
      spans
        .filter((span) => span.textContent === wanted)
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
        .map((span) => span.className),
    token,
  );
}

/**
 * Waits until the rendered tokens `first` and `second` both exist with different classes (that
 * is, different colours or styles) and returns their classes. Semantic tokens arrive after the
 * TextMate colouring, so the classes can change for a moment after a file opens or is edited.
 */
export async function waitForDistinctTokenClasses(page, first, second, { timeout = 30_000 } = {}) {
  try {
    await page.waitForFunction(
      ({ a, b }) => {
        const spans = [...document.querySelectorAll('.monaco-editor .view-line span span')];
        const classA = spans.find((span) => span.textContent === a)?.className;
        const classB = spans.find((span) => span.textContent === b)?.className;
        return classA !== undefined && classB !== undefined && classA !== classB;
      },
      { a: first, b: second },
      { timeout },
    );
  } catch (error) {
    const seen = `${first}: ${await readTokenClasses(page, first)}; ${second}: ${await readTokenClasses(page, second)}`;
    throw new Error(`tokens never took different classes (${seen})`, { cause: error });
  }
  return [(await readTokenClasses(page, first))[0], (await readTokenClasses(page, second))[0]];
}

/** Reads the text of the rendered editor lines, with U+00A0 turned back into spaces. */
export async function readVisibleText(page) {
  const lines = await page.$$eval('.monaco-editor .view-line', (elements) =>
    elements
      .map((e) => ({ top: e.getBoundingClientRect().top, text: e.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/** Numbered screenshots of a scenario's steps. */
export function makeScreenshotter(page, dir) {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  return async (step) => {
    count += 1;
    const path = join(dir, `${String(count).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path });
    return path;
  };
}
