/**
 * Measuring the fleet page's load in Chromium, shared by the dashboard benchmarks: each load in a fresh browser
 * context (empty cache, new connection), timed inside the page from navigation start to the moment the N-th
 * fleet row is in the DOM (a MutationObserver installed before any page script) and to the first paint after it.
 */
import type { Browser } from 'playwright-core';

export const WARMUP = 3;

/** Runs in the page before its own scripts: notes when the N-th row appears, and the paint after it. */
const probe = (rows: number) => `
  new MutationObserver((_, observer) => {
    if (document.querySelectorAll('tr.fleet-row').length >= ${rows}) {
      observer.disconnect();
      window.__rowsAt = performance.now();
      requestAnimationFrame(() => setTimeout(() => (window.__paintedAt = performance.now()), 0));
    }
  }).observe(document, { childList: true, subtree: true });
`;

export interface Sample {
  rows: number;
  painted: number;
}

export async function measure(browser: Browser, url: string, rows: number): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    await context.addInitScript(probe(rows));
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(
      () => (globalThis as { __paintedAt?: number }).__paintedAt !== undefined,
      null,
      {
        timeout: 30_000,
      },
    );
    return await page.evaluate(() => {
      const w = globalThis as unknown as { __rowsAt: number; __paintedAt: number };
      return { rows: w.__rowsAt, painted: w.__paintedAt };
    });
  } finally {
    await context.close();
  }
}

export async function series(
  browser: Browser,
  url: string,
  options: { rows: number; runs: number; before?: () => Promise<void> },
): Promise<Sample[]> {
  const once = async () => {
    await options.before?.();
    return measure(browser, url, options.rows);
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: Sample[] = [];
  for (let i = 0; i < options.runs; i++) samples.push(await once());
  return samples;
}

export function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95), min: sorted[0]!, max: sorted.at(-1)! };
}

export const ms = (v: number) => `${v.toFixed(0).padStart(5)} ms`;
