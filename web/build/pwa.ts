// The installable app's build side (issue 63): the service worker built from web/src/sw.ts as its own entry at the
// stable URL /sw.js, the build's id written into it and into index.html, and the manifest's icons drawn from
// favicon.svg with sharp. Icons are made at build rather than committed so that they can never drift from the
// favicon they show (and the repository keeps no binary that a change of the logo would leave stale).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Plugin } from 'vite';

/** The placeholder sw.ts carries where the build's id goes. */
export const BUILD_PLACEHOLDER = '__SHOEBOX_BUILD__';
/** The page colour of the light theme (index.html's light theme-color): the icons' background where one is needed. */
const BACKGROUND = '#f6f5f2';

/**
 * The build's id: a hash of every emitted file's name (each named by its content's hash) and of index.html, so that any
 * change of the app changes sw.js, which makes browsers install the new worker and drop the old build's cache.
 */
export function buildId(fileNames: readonly string[], indexHtml: string): string {
  const hash = createHash('sha256');
  for (const name of [...fileNames].sort()) hash.update(`${name}\n`);
  return hash.update(indexHtml).digest('hex').slice(0, 16);
}

/** The logo as a square PNG of `size` px, on `background` with `padding` (a fraction of the side) when given. */
async function icon(svg: Buffer, size: number, options: { background?: string; padding?: number } = {}): Promise<Buffer> {
  const inner = Math.round(size * (1 - 2 * (options.padding ?? 0)));
  // the SVG's 32-unit view box drawn at the density that gives `inner` px, so edges stay sharp
  const logo = await sharp(svg, { density: Math.ceil((72 * inner) / 32) })
    .resize(inner, inner)
    .png()
    .toBuffer();
  if (inner === size && !options.background) return logo;
  return sharp({ create: { width: size, height: size, channels: 4, background: options.background ?? { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: logo, gravity: 'centre' }])
    .png()
    .toBuffer();
}

/** The icons the manifest and index.html name: `any` at 192 and 512, maskable 512, Apple's touch icon. */
async function icons(svg: Buffer): Promise<Record<string, Buffer>> {
  return {
    'icons/icon-192.png': await icon(svg, 192),
    'icons/icon-512.png': await icon(svg, 512),
    // a maskable icon's platform mask may cut up to 20 % of each side: the logo kept inside the central 80 % circle
    'icons/maskable-512.png': await icon(svg, 512, { background: BACKGROUND, padding: 0.2 }),
    // iOS draws no transparency (black) and rounds the corners itself
    'icons/apple-touch-icon.png': await icon(svg, 180, { background: BACKGROUND, padding: 0.1 }),
  };
}

export function pwa(options: { favicon: string }): Plugin {
  return {
    name: 'shoebox-pwa',
    apply: 'build',
    enforce: 'post',
    async generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      const worker = bundle['sw.js'];
      if (html?.type !== 'asset' || worker?.type !== 'chunk') throw new Error('the build has no index.html or sw.js');
      if (worker.imports.length > 0) throw new Error(`sw.js imports ${worker.imports.join(', ')}: a service worker must stand alone`);
      const names = Object.keys(bundle).filter((name) => name !== 'index.html' && name !== 'sw.js');
      const id = buildId(names, String(html.source));
      html.source = String(html.source).replace('</head>', `  <meta name="shoebox-build" content="${id}" />\n  </head>`);
      if (!worker.code.includes(BUILD_PLACEHOLDER)) throw new Error('sw.js lost its build placeholder');
      worker.code = worker.code.replaceAll(BUILD_PLACEHOLDER, id);
      for (const [fileName, source] of Object.entries(await icons(readFileSync(options.favicon)))) {
        this.emitFile({ type: 'asset', fileName, source });
      }
    },
  };
}
