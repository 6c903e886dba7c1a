/**
 * What the browser suites share: Debian's Chromium driven by playwright-core, the errors a page
 * logs, and WCAG's contrast of what a page shows.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium from the system (never a downloaded one). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(executablePath))
    throw new Error(
      `No Chromium at ${executablePath}: run scripts/install-browser.sh (or set CHROMIUM_PATH)`,
    );
  return chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Every error the page throws or logs from now on, in the returned list. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

const channels = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);

/** WCAG's contrast ratio of two opaque `rgb(r, g, b)` colours. */
export function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r = 0, g = 0, bl = 0] = channels(rgb)
      .slice(0, 3)
      .map((c) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light = 0, dark = 0] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** `color` (which may be translucent, `rgba(…)`) as it shows over the opaque `background`. */
function over(color: string, background: string): string {
  const [r = 0, g = 0, b = 0, alpha = 1] = channels(color);
  const [br = 0, bg = 0, bb = 0] = channels(background);
  const mix = (top: number, bottom: number) => Math.round(top * alpha + bottom * (1 - alpha));
  return `rgb(${mix(r, br)}, ${mix(g, bg)}, ${mix(b, bb)})`;
}

/** An element's text colour and the opaque background it sits on, as the page shows them. */
export interface Shown {
  selector: string;
  text: string;
  color: string;
  background: string;
  /** Their contrast ratio (WCAG asks at least 4.5 of body text). */
  contrast: number;
}

// What the function run in the page reaches there (this repository's TypeScript has no DOM library).
interface DomElement {
  parentElement: DomElement | null;
  textContent: string | null;
}
interface DomImage {
  complete: boolean;
  naturalWidth: number;
  getBoundingClientRect(): { top: number; bottom: number };
}
declare const document: {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: 'img'): Iterable<DomImage>;
  documentElement: { scrollWidth: number };
};
declare const innerWidth: number;
declare const innerHeight: number;

/** Waits until every photo in view has loaded (photos load lazily), for a screenshot that shows them. */
export async function untilPhotosShown(frame: Frame | Page, timeoutMs = 15_000): Promise<void> {
  await frame.waitForFunction(
    () =>
      [...document.querySelectorAll('img')].every((image) => {
        const { top, bottom } = image.getBoundingClientRect();
        return bottom < 0 || top > innerHeight || (image.complete && image.naturalWidth > 0);
      }),
    undefined,
    { timeout: timeoutMs },
  );
}

/** How wide the page's content is against its viewport (wider: it scrolls sideways). */
export const pageWidths = (frame: Frame | Page) =>
  frame.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: innerWidth }));
declare function getComputedStyle(element: DomElement): { backgroundColor: string; color: string };

/**
 * The first element of each selector in `frame`: its colour and the nearest opaque background
 * behind it (its own or an ancestor's). Throws when a selector finds nothing.
 */
export async function shownColours(frame: Frame | Page, selectors: readonly string[]): Promise<Shown[]> {
  const found = await frame.evaluate((wanted) => {
    const opaque = (css: string) => !/^rgba\(.*,\s*0\)$/.test(css) && css !== 'transparent';
    return wanted.map((selector) => {
      const element = document.querySelector(selector);
      if (!element) return { selector, missing: true, text: '', color: '', background: '' };
      let behind: DomElement | null = element;
      while (behind && !opaque(getComputedStyle(behind).backgroundColor)) behind = behind.parentElement;
      return {
        selector,
        missing: false,
        text: (element.textContent ?? '').trim().slice(0, 60),
        color: getComputedStyle(element).color,
        // The canvas behind a page that paints no background of its own is white.
        background: behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)',
      };
    });
  }, selectors);
  return found.map(({ missing, ...shown }) => {
    if (missing) throw new Error(`nothing on the page matches ${shown.selector}`);
    const background = over(shown.background, 'rgb(255, 255, 255)');
    const color = over(shown.color, background);
    return { ...shown, color, background, contrast: contrast(color, background) };
  });
}
