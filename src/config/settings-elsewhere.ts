/**
 * The settings read outside loadSettings, each by the one module that needs it before or without the others (the
 * CLI's key and password, the embedded database's memory, the web app's folder…), by the file under src/ that
 * reads it. With loadSettings' own they are every setting Shoebox has: test/unit/docs.test.ts holds the docs to
 * them and fails a SHOEBOX_* name read anywhere else.
 */
export const SETTINGS_READ_ELSEWHERE = {
  SHOEBOX_API_KEY: 'cli/credentials.ts',
  SHOEBOX_PASSWORD: 'cli/accounts.ts',
  SHOEBOX_SERVER_TIMEOUT_SECONDS: 'cli/server-fetch.ts',
  SHOEBOX_DB_SHARED_BUFFERS: 'db/connection.ts',
  SHOEBOX_DISABLE_DECODERS: 'media/decoders/tools.ts',
  SHOEBOX_WEB_DIR: 'config/paths.ts',
} as const;
