// The docs name only commands and settings that exist, and every setting is documented: each `shoebox …` command
// line in the README and docs/ parses with the CLI's own parser (nothing runs), each SHOEBOX_* name there is one the
// settings module reads, and each name it reads is in a page.
import fs from 'node:fs';
import path from 'node:path';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseOnly } from '../helpers/cli-parse.js';
import { loadSettings } from '../../src/config/settings.js';
import { SETTINGS_READ_ELSEWHERE } from '../../src/config/settings-elsewhere.js';

const root = path.resolve(import.meta.dirname, '../..');
const docFiles = [
  'README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const docs = docFiles.map((file) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));

/** `shoebox …` lines of sh blocks (comments cut), and inline code spans that start with the command (`span`). */
function commandLines(text: string): { line: string; span: boolean }[] {
  const lines: { line: string; span: boolean }[] = [];
  for (const block of text.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    for (const line of block[1]!.split('\n')) {
      const command = /^(?:npx )?shoebox( .*)?$/.exec(line.replace(/\s+#.*$/, '').trim());
      if (command) lines.push({ line: `shoebox${command[1] ?? ''}`.trim(), span: false });
    }
  }
  // `shoebox …` alone stands for every command
  for (const span of text.matchAll(/`(?:npx )?(shoebox(?: [^`]*)?)`/g)) if (span[1] !== 'shoebox …') lines.push({ line: span[1]!.trim(), span: true });
  return lines;
}

/** Shell words, quotes removed. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/**
 * The command lines a documented synopsis stands for: `[--opt X]` as given, `a|b` the first of its choices, `…` a
 * value, `users list | add EMAIL` each sub-command (under the first one's command).
 */
function synopsisLines(line: string): string[][] {
  const [first, ...rest] = line.replace(/^shoebox ?/, '').split(' | ');
  const head = words(first!)[0];
  return [first!, ...rest.map((alternative) => `${head} ${alternative}`)].map((variant) =>
    words(variant.replace(/[[\]]/g, ' ')).map((word) => (word === '…' ? 'x' : word.replace(/…$/, '').split('|')[0]!)),
  );
}

/** Commander's answers to a span that names a command without its arguments (`shoebox import` walks…). */
const NAMED_ONLY = ['commander.missingArgument', 'commander.missingMandatoryOptionValue'];

/**
 * The SHOEBOX_* names a page gives: whole (`SHOEBOX_CAPTION_URL`), as a family (`SHOEBOX_IMAGE_…`), and after a
 * whole one in a list of spans, by their ending (`SHOEBOX_CAPTION_URL`, `_MODEL` → SHOEBOX_CAPTION_MODEL).
 */
function settingNames(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split(/\n(?=\||\n|- )/)) {
    let family: string | null = null;
    for (const [, name] of line.matchAll(/(\bSHOEBOX_[A-Z0-9_<>]*[A-Z0-9>](?:_[…*])?|`_[A-Z][A-Z0-9_]*`)/g)) {
      if (name!.startsWith('`')) {
        if (family) names.add(`${family}${name!.slice(1, -1)}`);
        continue;
      }
      names.add(name!);
      family = /_[…*]$/.test(name!) ? null : name!.replace(/_[A-Z0-9]+$/, '');
    }
  }
  return [...names];
}

describe('the docs name real commands and settings', () => {
  it('parses every `shoebox …` command line of the README and docs/ with the CLI', async () => {
    const problems: string[] = [];
    let count = 0;
    for (const { file, text } of docs) {
      for (const { line, span } of commandLines(text)) {
        for (const argv of synopsisLines(line)) {
          count++;
          await parseOnly(argv).catch((error: Error) => {
            if (!(span && error instanceof CommanderError && NAMED_ONLY.includes(error.code))) problems.push(`${file}: ${line} → ${error.message}`);
          });
        }
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(40);
  });

  it('fails a command or an option that does not exist', async () => {
    await expect(parseOnly(['import', '--form', 'google-takeout', 'x.zip'])).rejects.toThrow(/unknown option '--form'/);
    await expect(parseOnly(['imports', 'x'])).rejects.toThrow(/unknown command 'imports'/);
    await expect(parseOnly(['serve', '--port', 'many'])).rejects.toThrow(/port must be a whole number/);
    expect(synopsisLines('shoebox users list | add EMAIL [--role admin]')).toEqual([
      ['users', 'list'],
      ['users', 'add', 'EMAIL', '--role', 'admin'],
    ]);
  });

  it('links only to files that exist, and the README leads to every page of docs/', () => {
    const broken = [...docs, { file: 'bench/README.md', text: fs.readFileSync(path.join(root, 'bench/README.md'), 'utf8') }].flatMap(({ file, text }) =>
      [...text.matchAll(/\]\(([^)#:\s]+)(?:#[^)]*)?\)/g)]
        .map((m) => m[1]!)
        .filter((link) => !fs.existsSync(path.join(root, path.dirname(file), link)))
        .map((link) => `${file}: ${link}`),
    );
    expect(broken).toEqual([]);
    const readme = docs[0]!.text;
    // the product's promise: the egress manifest is in the README, and the test that proves it is named there
    expect(readme).toMatch(/^## Egress: what leaves the machine\n[\s\S]*^\| setting or action \| contacts \| when \|$/m);
    expect(readme).toContain('`test/integration/egress.test.ts` proves it');
    expect(
      docs
        .slice(1)
        .filter(({ file }) => !readme.includes(`](${file})`) && !docs.some(({ text }) => text.includes(`](${path.basename(file)})`)))
        .map(({ file }) => file),
    ).toEqual([]);
  });

  // The names loadSettings reads, found by reading them: a named image provider and storage location stand for
  // every name (SHOEBOX_IMAGE_<NAME>_URL…).
  const read = new Set<string>();
  const env: NodeJS.ProcessEnv = {
    SHOEBOX_IMAGE_URL: 'http://127.0.0.1:1/v1',
    SHOEBOX_IMAGE_PROVIDERS: 'name',
    SHOEBOX_IMAGE_NAME_URL: 'http://127.0.0.1:2/v1',
    SHOEBOX_STORAGE_LOCATIONS: 'name',
    SHOEBOX_STORAGE_NAME: '/srv/photos',
  };
  loadSettings({}, new Proxy(env, { get: (target, key) => (typeof key === 'string' && read.add(key), Reflect.get(target, key)) }));
  const settings = new Set([...read, ...Object.keys(SETTINGS_READ_ELSEWHERE)].map((name) => name.replace(/_NAME(?=_|$)/, '_<NAME>')));
  const named = (name: string) =>
    [...settings].some((setting) => setting.includes('<NAME>') && new RegExp(`^${setting.replace('<NAME>', '[A-Z0-9_]+')}$`).test(name));
  const known = (name: string) =>
    /_[…*]$/.test(name) ? [...settings].some((setting) => setting.startsWith(name.slice(0, -1))) : settings.has(name) || named(name);
  /** Variables of deploy/compose.yaml's own (`${SHOEBOX_PHOTOS:-./photos}`), not Shoebox's. */
  const compose = new Set([...fs.readFileSync(path.join(root, 'deploy/compose.yaml'), 'utf8').matchAll(/\$\{(SHOEBOX_[A-Z0-9_]+)/g)].map((m) => m[1]!));

  it('knows each SHOEBOX_* name the docs give', () => {
    const unknown = docs.flatMap(({ file, text }) =>
      settingNames(text)
        .filter((name) => !known(name) && !compose.has(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(unknown).toEqual([]);
    expect(settings.has('SHOEBOX_IMAGE_<NAME>_URL') && named('SHOEBOX_S3_ARCHIVE_REGION') && !named('SHOEBOX_S3_ARCHIVE_COLOUR')).toBe(true);
  });

  it('documents every setting the settings module reads', () => {
    const documented = new Set(docs.flatMap(({ text }) => settingNames(text)));
    const all = docs.map(({ text }) => text).join('\n');
    // a named provider's or location's option is the default one's, documented once ("the same options")
    const undocumented = [...settings].filter(
      (name) => ![name, name.replace('_<NAME>', '')].some((form) => documented.has(form) || (!form.startsWith('SHOEBOX_') && all.includes(`\`${form}\``))),
    );
    expect(undocumented).toEqual([]);
  });

  it('lists every setting read outside loadSettings, where it is read', () => {
    const src = path.join(root, 'src');
    const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const readHere = (file: string) =>
      [...fs.readFileSync(path.join(src, file), 'utf8').matchAll(/\benv\.(SHOEBOX_[A-Z0-9_]+)|\benv\[['"`](SHOEBOX_[A-Z0-9_]+)['"`]\]/g)].map(
        (m) => m[1] ?? m[2]!,
      );
    const stray = files.flatMap((file) =>
      readHere(file)
        .filter((name) => !settings.has(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(stray).toEqual([]);
    for (const [name, file] of Object.entries(SETTINGS_READ_ELSEWHERE)) expect(readHere(file), name).toContain(name);
  });
});
