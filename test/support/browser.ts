/// <reference lib="dom" />
// A real browser for the console's tests: Debian's chromium driven by playwright-core (never a
// downloaded browser), with the flags that keep it quiet on a build machine; and a check that a
// screenshot shows something, made by decoding it in the browser itself.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['SECTRAIL_CHROMIUM'] ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface PixelSummary {
  readonly width: number;
  readonly height: number;
  /** Distinct colours among the sampled pixels. */
  readonly colours: number;
  /** The share of sampled pixels that differ from the most common colour (the background). */
  readonly inked: number;
}

/** Decodes a PNG in a blank page of the browser and summarises its pixels. */
export async function pixelSummary(blank: Page, png: Buffer): Promise<PixelSummary> {
  return blank.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const counts = new Map<number, number>();
    let sampled = 0;
    for (let offset = 0; offset < data.length; offset += 4 * 7) {
      const colour = ((data[offset] ?? 0) << 16) | ((data[offset + 1] ?? 0) << 8) | (data[offset + 2] ?? 0);
      counts.set(colour, (counts.get(colour) ?? 0) + 1);
      sampled += 1;
    }
    const background = Math.max(...counts.values());
    return { width: bitmap.width, height: bitmap.height, colours: counts.size, inked: (sampled - background) / sampled };
  }, png.toString('base64'));
}
