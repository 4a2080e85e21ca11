import '../config/telemetry-off.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadSettings, type SettingsOverrides } from '../config/settings.js';
import { DEFAULT_IN_PLACE_EXCLUDES } from '../model/in-place-excludes.js';
import { STEP_NAMES } from '../model/photo-state.js';
import { version } from '../config/version.js';

// Each command's module is imported when that command runs: `--help` and a command that asks a running server
// load the argument parser and the client, not the server, the database and the models (issue 32: ≤ 1 s, ≤ 1.5 s).

const integer = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return parsed;
};

const positive = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!(Number.isFinite(parsed) && parsed > 0)) throw new InvalidArgumentError(`${name} must be a positive number`);
  return parsed;
};

const ratio = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed <= 1)) throw new InvalidArgumentError(`${name} must be a number above 0 and at most 1`);
  return parsed;
};

interface CommonFlags {
  data?: string;
  concurrency?: number;
  logLevel?: string;
}

function settingsFrom(flags: CommonFlags & { port?: number; host?: string }, extra: SettingsOverrides = {}) {
  return loadSettings({
    dataDir: flags.data,
    port: flags.port,
    host: flags.host,
    concurrency: flags.concurrency,
    logLevel: flags.logLevel as SettingsOverrides['logLevel'],
    ...extra,
  });
}

export async function main(argv: string[]): Promise<void> {
  await cliProgram().parseAsync(argv);
}

/** Every command, its arguments and options; each action loads its module when it runs. */
export function cliProgram(): Command {
  const program = new Command('shoebox')
    .description('Shoebox: a self-hosted photo library with AI')
    .version(version)
    .showHelpAfterError()
    .addOption(new Option('--api-key <key>', "API key for the server (env SHOEBOX_API_KEY; default: the key `shoebox login` stored, or the library's own)"))
    .hook('preAction', () => {
      const key = program.opts<{ apiKey?: string }>().apiKey;
      if (key) process.env.SHOEBOX_API_KEY = key;
    });

  const dataOption = () => new Option('-d, --data <dir>', 'library data folder (env SHOEBOX_DATA, default ./shoebox-data)');
  const concurrencyOption = () =>
    new Option('-c, --concurrency <n>', 'photos whose thumbnails, metadata and hashes are made at once (env SHOEBOX_CONCURRENCY)').argParser(
      integer('concurrency'),
    );

  program
    .command('serve')
    .description('start the server (web app, REST API and pipeline) on a library')
    .addOption(dataOption())
    .addOption(new Option('-p, --port <n>', 'port (env SHOEBOX_PORT, default 3210; 0 picks a free one)').argParser(integer('port')))
    .addOption(new Option('--host <host>', 'address to listen on (env SHOEBOX_HOST, default 127.0.0.1)'))
    .addOption(concurrencyOption())
    .addOption(new Option('--log-level <level>', 'log level (env LOG_LEVEL)'))
    .option('--no-worker', 'serve the API only: workers elsewhere run the pipeline (needs REDIS_URL and DATABASE_URL)')
    .action(async (flags) => (await import('./serve.js')).runServe(settingsFrom(flags, { worker: flags.worker })));

  program
    .command('worker')
    .description("run the pipeline from a cluster's shared queue, with no web server (needs REDIS_URL and DATABASE_URL)")
    .addOption(dataOption())
    .addOption(concurrencyOption())
    .addOption(new Option('--steps <names>', `only the lanes of these steps, comma-separated (e.g. faces,clip on a GPU machine): ${STEP_NAMES.join(', ')}`))
    .addOption(new Option('--log-level <level>', 'log level (env LOG_LEVEL)'))
    .action(async (flags) => (await import('./worker.js')).runWorker(settingsFrom(flags), flags));

  program
    .command('migrate')
    .description('copy the library into PostgreSQL (and S3 with --storage), or back into a folder; resumable, verified; the source is only read')
    .addOption(dataOption())
    .requiredOption('--to <target>', 'postgres://user:password@host/db, or a new library folder')
    .option(
      '--storage <url>',
      's3://bucket/prefix for the files (SHOEBOX_S3_* connect to it); default: kept in a folder target, left where they are for PostgreSQL',
    )
    .action(async (flags) => (await import('./migrate.js')).runMigrate(settingsFrom({ ...flags, logLevel: 'warn' }), flags));

  program
    .command('backup')
    .description('write a consistent snapshot of the library (database, originals, renditions, a manifest) into a new folder')
    .argument('<dir>', 'new or empty folder')
    .addOption(dataOption())
    .option('--db-only', 'the database only: the files stay in the store')
    .action(async (dir: string, flags) => (await import('./backup.js')).runBackup(dir, settingsFrom({ ...flags, logLevel: 'warn' }), flags));

  program
    .command('restore')
    .description('rebuild a library from a backup into a new one (--data, or DATABASE_URL and SHOEBOX_STORAGE); verified')
    .argument('<dir>', 'a folder `shoebox backup` wrote')
    .addOption(dataOption())
    .action(async (dir: string, flags) => (await import('./backup.js')).runRestore(dir, settingsFrom({ ...flags, logLevel: 'warn' })));

  program
    .command('import')
    .description('add every supported image under a folder (recursively), or a Google Takeout export; safe to run again')
    .argument('<paths...>', "folder to import; with --from google-takeout or icloud, the export's zips (any order) or extracted folders")
    .addOption(
      new Option(
        '--from <source>',
        'what the paths are: a folder of files (their XMP sidecars kept), a Google Takeout export (its JSON sidecars, albums, favourites, trash) or an iCloud Photos export (its Photo Details and album CSVs)',
      )
        .choices(['folder', 'google-takeout', 'icloud'])
        .default('folder'),
    )
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'import into a running server (found automatically for --data)'))
    .option('-w, --wait', 'wait until the pipeline has finished the imported photos')
    .addOption(concurrencyOption())
    .action(async (paths: string[], flags) => {
      const settings = settingsFrom({ ...flags, logLevel: flags.logLevel ?? 'warn' });
      if (flags.from !== 'folder') return (await import('./takeout.js')).runTakeoutImport(paths, settings, { ...flags, from: flags.from });
      if (paths.length > 1) throw new Error('import one folder at a time (several paths are for --from google-takeout or icloud)');
      return (await import('./import.js')).runImport(paths[0]!, settings, flags);
    });

  program
    .command('export')
    .description('your photos (or one album) out of the library: originals with XMP sidecars, in folders by date or album, and a manifest; resumable')
    .argument('<dir>', 'folder to write to (made if missing; an export stopped halfway goes on where it stopped)')
    .option('--album <id>', 'only this album')
    .option('--takeout-json', 'also a Google Takeout-style JSON sidecar beside each photo (IMG.jpg.supplemental-metadata.json)')
    .addOption(
      new Option('--by <layout>', 'folders by date taken (YYYY/YYYY-MM-DD) or by album (photos in none go by date)').choices(['date', 'album']).default('date'),
    )
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'export from a running server (found automatically for --data)'))
    .action(async (dir: string, flags) => (await import('./export.js')).runExport(dir, settingsFrom({ ...flags, logLevel: 'warn' }), flags));

  program
    .command('inspect')
    .description('analyse one file without adding it to a library')
    .argument('<file>', 'image file')
    .option('--json', 'print one JSON object')
    .addOption(dataOption().default(undefined, 'models from the library in SHOEBOX_DATA or ./shoebox-data'))
    .action(async (file: string, flags) => (await import('./inspect.js')).runInspect(file, settingsFrom({ ...flags, logLevel: 'warn' }), flags));

  program
    .command('reprocess')
    .description('run a pipeline step again where it failed or was skipped (or everywhere with --all)')
    .addOption(new Option('-s, --step <name>', 'step to run again').choices([...STEP_NAMES]).makeOptionMandatory())
    .option('--all', 'redo the step on every photo')
    .option('-w, --wait', 'wait until the queued photos are finished (without a running server)')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (flags) => (await import('./reprocess.js')).runReprocess(settingsFrom({ ...flags, logLevel: 'warn' }), flags));

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('search')
    .description('search photos by words (tags, people, places, text in them…) and by meaning, or find photos like an image')
    .argument('[query]', 'in your words ("Marie in Lisbon last summer", "videos from 2019", "best photos of the dog"), "quoted phrases", -exclusions, OR')
    .addOption(new Option('-m, --mode <mode>', 'hybrid (default), keyword or semantic').choices(['hybrid', 'keyword', 'semantic']))
    .option('--like <file>', 'find photos that look like this image (it is not added)')
    .option('--json', "print the API's JSON answer")
    .option('-n, --limit <n>', 'results per page (default 30, at most 100)')
    .option('-p, --page <n>', 'page (default 1)')
    .option('--from <date>', 'taken on or after (ISO 8601)')
    .option('--to <date>', 'taken on or before (ISO 8601)')
    .option('--camera <text>', 'part of the camera make and model')
    .option('--place <name>', 'city, state or country')
    .option('--tag <tag>', 'must have this tag (repeatable)', collect)
    .option('--category <name>', 'in this category (repeatable: any of them)', collect)
    .option('--person <id>', 'with this person (repeatable: all of them)', collect)
    .option('--cutoff <ratio>', 'drop semantic-only hits below ratio × the best similarity (default 0.8, 0 keeps all)')
    .option('--exact', 'search the words exactly as typed (people, places and dates in them are not read as filters)')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (query: string | undefined, flags) =>
      (await import('./search-command.js')).searchCommand(query, settingsFrom({ ...flags, logLevel: 'warn' }), flags),
    );

  const albums = program
    .command('albums')
    .description('list the albums (manual and automatic) with their number of photos')
    .addOption(new Option('--kind <kind>', 'only manual or only automatic albums').choices(['manual', 'auto']))
    .option('--json', 'print one JSON object')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (flags) => (await import('./albums.js')).runAlbums(settingsFrom({ ...flags, logLevel: 'warn' }), flags));
  albums
    .command('regenerate')
    .description('group alike photos (CLIP) into automatic albums again; dismissed and kept albums are not made again')
    .addOption(new Option('--min-size <n>', 'smallest album, in photos (default 5)').argParser(integer('min-size')))
    .addOption(new Option('--min-similarity <s>', 'cosine similarity at which photos count as alike (default 0.8)').argParser(ratio('min-similarity')))
    .addOption(
      new Option('--time-gap-days <days>', 'split albums into events where photos are more than this many days apart').argParser(positive('time-gap-days')),
    )
    .option('--json', 'print the summary as JSON')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    // `albums` has --data, --server and --json too, and commander gives them to it wherever they stand: read both
    .action(async (_flags, command: Command) => {
      const flags = command.optsWithGlobals();
      await (await import('./auto-albums.js')).runAlbumsRegenerate(settingsFrom({ ...flags, logLevel: 'warn' }), flags);
    });

  const libraries = program.command('libraries').description('libraries in place: folders indexed where they are (never copied), watched and kept in sync');
  libraries
    .command('list', { isDefault: true })
    .description('the libraries in place, their folders, counts and last scan')
    .option('--json', 'print one JSON object')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (flags) => (await import('./libraries.js')).runLibrariesList(settingsFrom({ ...flags, logLevel: 'warn' }), flags));
  libraries
    .command('add <folder>')
    .description('index a folder where it is (it must lie inside SHOEBOX_LIBRARY_ROOTS or a root an admin allowed), and follow its first scan')
    .option('--name <name>', 'the library’s name (default: the folder’s)')
    .option('--exclude <glob...>', `files and folders to leave out instead of the defaults (${DEFAULT_IN_PLACE_EXCLUDES.join(' ')}); --exclude '' for none`)
    .option('--write-back', 'write ratings, favourites, keywords and people to XMP sidecars beside the files')
    .addOption(new Option('--watch <mode>', 'follow changes by file-system events, polling (network shares) or not at all').choices(['auto', 'poll', 'off']))
    .option('--json', 'print one JSON object')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (folder: string, flags) => (await import('./libraries.js')).runLibrariesAdd(folder, settingsFrom({ ...flags, logLevel: 'warn' }), flags));
  libraries
    .command('scan <id>')
    .description('scan a library now (only new and changed files are read) and show its counts')
    .option('--json', 'print one JSON object')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (id: string, flags) => (await import('./libraries.js')).runLibrariesScan(id, settingsFrom({ ...flags, logLevel: 'warn' }), flags));
  libraries
    .command('remove <id>')
    .description('remove a library from Shoebox: its photos go, its files stay where they are')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (id: string, flags) => (await import('./libraries.js')).runLibrariesRemove(id, settingsFrom({ ...flags, logLevel: 'warn' }), flags));

  program
    .command('duplicates')
    .description('list the duplicate groups waiting for review (and bursts), with the evidence of each photo')
    .addOption(new Option('--kind <kind>', 'only copies or only bursts').choices(['duplicate', 'burst']))
    .option('--json', 'print one JSON object')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (flags) => (await import('./duplicates.js')).runDuplicates(settingsFrom({ ...flags, logLevel: 'warn' }), flags));

  program
    .command('generate')
    .description('make images from a prompt (or from a photo: --from), stored as photos with origin generated; prints their ids')
    .argument('<prompt>', 'what to make')
    .addOption(new Option('-n, --n <count>', 'images, 1 to 10').argParser(integer('n')).default(1))
    .option('--size <WxH>', 'pixels, e.g. 1024x1024 (the provider may support fewer sizes)', '1024x1024')
    .option('--provider <name>', 'an image provider of the server (default: the default one)')
    .option('--negative <text>', 'what to keep out of the image')
    .addOption(new Option('--seed <n>', 'repeatable results where the provider takes a seed').argParser(integer('seed')))
    .option('--from <photoId>', '"inspired by": image-to-image from this photo')
    .option('--json', 'print the finished job as JSON')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (prompt: string, flags) => (await import('./create.js')).runGenerate(settingsFrom({ ...flags, logLevel: 'warn' }), prompt, flags));

  program
    .command('product-shots')
    .description('make product-shot sets (white background, in a hand, dimensions, lifestyle, worn by a model) of photos, each in an album')
    .argument('<photos...>', 'photo ids, or image files to import first')
    .requiredOption('--type <productType>', 'a product type: earring, bracelet, necklace, ring, watch, pendant, or one you added')
    .option('--shots <list>', 'shot numbers or names: 1 white, 2 hand, 3 dimensions, 4 lifestyle, 5 model (default 1,2,4,5)')
    .addOption(new Option('-n, --n <count>', 'images per shot type').argParser(integer('n')).default(1))
    .addOption(new Option('--height <measure>', "the product's height, for shot 3").argParser(positive('height')))
    .addOption(new Option('--width <measure>', "the product's width, for shot 3").argParser(positive('width')))
    .addOption(new Option('--unit <unit>', 'unit of --height and --width').choices(['mm', 'cm', 'in']).default('mm'))
    .option('--size <WxH>', 'pixels of each shot', '1024x1024')
    .option('--provider <name>', 'an image provider with an edits endpoint')
    .option('--json', 'print the finished job as JSON')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (photos: string[], flags) => (await import('./create.js')).runProductShots(settingsFrom({ ...flags, logLevel: 'warn' }), photos, flags));

  const catalogue = program.command('catalogue').description('the product catalogue');
  catalogue
    .command('export')
    .description('export the catalogue (an album, a selection, or all products) as CSV or JSON, to a file or stdout')
    .option('--album <id>', "an album's products (a product-shots album holds its product)")
    .option('--ids <ids>', 'comma-separated product photo ids')
    .option('--columns <list>', "comma-separated columns, in order (default: the API's)")
    .option('--csv <file>', 'write CSV to this file')
    .option('--json <file>', 'write JSON to this file')
    .option('--base-url <url>', 'the server address image URLs start with, when exporting without a running server')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (flags) => (await import('./create.js')).runCatalogueExport(settingsFrom({ ...flags, logLevel: 'warn' }), flags));

  program
    .command('jobs')
    .description("the pipeline's progress: photos to process, per state and per step, speed, time left, latest failures (as the jobs page shows it)")
    .option('--json', 'print the snapshot as GET /api/jobs answers it')
    .addOption(dataOption())
    .addOption(new Option('--server <url>', 'ask a running server (found automatically for --data)'))
    .action(async (flags) => (await import('./jobs.js')).runJobs(settingsFrom({ ...flags, logLevel: 'warn' }), flags));

  const models = program.command('models').description('list, download and remove the AI models');
  models
    .command('list')
    .description('installed and available models, their size and what each enables')
    .option('--json', 'print one JSON object')
    .addOption(dataOption())
    .action(async (flags) => (await import('./models.js')).runModelsList(settingsFrom({ ...flags, logLevel: 'warn' }), flags));
  models
    .command('pull')
    .description('download a model from the Hugging Face hub (resumable, verified), or install it from a local folder')
    .argument('<name>', 'model name (see `shoebox models list`)')
    .addOption(new Option('--from <dir>', 'install from a local copy of the model repository (no network)'))
    .addOption(new Option('--dtype <dtype>', 'weights to download').choices(['q8', 'fp32']))
    .addOption(new Option('--endpoint <url>', 'hub URL (env SHOEBOX_HF_ENDPOINT or HF_ENDPOINT, default https://huggingface.co)'))
    .option('--force', 'check every file against the hub again')
    .addOption(dataOption())
    .action(async (name: string, flags) => (await import('./models.js')).runModelsPull(name, settingsFrom({ ...flags, logLevel: 'warn' }), flags));
  models
    .command('remove')
    .description('delete a downloaded model')
    .argument('<name>', 'model name')
    .addOption(dataOption())
    .action(async (name: string, flags) => (await import('./models.js')).runModelsRemove(name, settingsFrom({ ...flags, logLevel: 'warn' })));

  program
    .command('login')
    .description('sign in to a server and store an API key for the CLI (in ~/.config/shoebox, mode 0600)')
    .argument('<url>', 'the server, e.g. https://photos.example.org')
    .option('--email <email>', 'your email (asked for when left out)')
    .option('--name <name>', "the key's name (default: CLI on this machine's name)")
    .action(async (url: string, flags) => (await import('./accounts.js')).runLogin(url, flags));

  const users = program.command('users').description('accounts, on the library folder (works without the web app: recovery)');
  users
    .command('list')
    .description('every user, their role and the space their photos take')
    .option('--json', 'print one JSON object')
    .addOption(dataOption())
    .action(async (flags) => (await import('./accounts.js')).runUsersList(settingsFrom({ ...flags, logLevel: 'warn' }), flags));
  users
    .command('add')
    .description('create a user (password from SHOEBOX_PASSWORD or asked for)')
    .argument('<email>')
    .option('--name <name>', 'their name (default: the part of the email before @)')
    .addOption(new Option('--role <role>', 'admin or user').choices(['admin', 'user']).default('user'))
    .addOption(dataOption())
    .action(async (email: string, flags) => (await import('./accounts.js')).runUsersAdd(settingsFrom({ ...flags, logLevel: 'warn' }), email, flags));
  users
    .command('reset-password')
    .description("set a user's password (from SHOEBOX_PASSWORD or asked for); their sessions end")
    .argument('<email>')
    .addOption(dataOption())
    .action(async (email: string, flags) => (await import('./accounts.js')).runUsersResetPassword(settingsFrom({ ...flags, logLevel: 'warn' }), email));
  users
    .command('disable')
    .description('stop a user from signing in (their sessions end; nothing is deleted)')
    .argument('<email>')
    .option('--enable', 'let them sign in again')
    .addOption(dataOption())
    .action(async (email: string, flags) => (await import('./accounts.js')).runUsersDisable(settingsFrom({ ...flags, logLevel: 'warn' }), email, flags));

  return program;
}
