// The installable app's build side (issue 63): the service worker built from web/src/sw.ts alone at the stable URL
// /sw.js, the build's id written into it and into index.html, and the manifest's icons drawn from
// favicon.svg with sharp. Icons are made at build rather than committed so that they can never drift from the
// favicon they show (and the repository keeps no binary that a change of the logo would leave stale).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { build, type Plugin, type Rolldown } from 'vite';

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

/**
 * The service worker bundled by a build of its own: a script a worker registers must stand alone (no chunk to import),
 * and as an entry of the app's build, every module it shares with the pages (lib/backupKept.ts, lib/tusFetch.ts)
 * would be split into a chunk both import.
 */
async function bundleWorker(entry: string): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      lib: { entry, formats: ['es'], fileName: () => 'sw.js' },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output).filter((file) => file.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`the service worker was built into ${chunks.length} scripts: it must stand alone`);
  return chunks[0]!.code;
}

export function pwa(options: { favicon: string; worker: string }): Plugin {
  return {
    name: 'shoebox-pwa',
    apply: 'build',
    enforce: 'post',
    async generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (html?.type !== 'asset') throw new Error('the build has no index.html');
      const worker = await bundleWorker(options.worker);
      // the worker's own code is part of the build: a change of it alone must make browsers take the new one
      const id = buildId(
        [...Object.keys(bundle).filter((name) => name !== 'index.html'), createHash('sha256').update(worker).digest('hex')],
        String(html.source),
      );
      html.source = String(html.source).replace('</head>', `  <meta name="shoebox-build" content="${id}" />\n  </head>`);
      if (!worker.includes(BUILD_PLACEHOLDER)) throw new Error('sw.js lost its build placeholder');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: worker.replaceAll(BUILD_PLACEHOLDER, id) });
      for (const [fileName, source] of Object.entries(await icons(readFileSync(options.favicon)))) {
        this.emitFile({ type: 'asset', fileName, source });
      }
    },
  };
}
