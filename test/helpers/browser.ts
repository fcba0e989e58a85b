import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium, driven by playwright-core (no browser download); flags from shared/notes/infra.md. */
export const CHROMIUM = process.env['VLMHB_CHROMIUM'] ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Everything a page did that a test must see: console errors, page errors, dialogs, every request URL. */
export interface PageLog {
  errors: string[];
  dialogs: string[];
  requests: string[];
}

export function watchPage(page: Page): PageLog {
  const log: PageLog = { errors: [], dialogs: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', (d) => {
    log.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => log.requests.push(r.url()));
  return log;
}
