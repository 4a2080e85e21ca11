// The lint's zones hold: ESLint, with the project's own config, refuses the server importing the web app or the tests,
// and the web app importing the server other than the API contract and the shared vocabulary (eslint.config.js).
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function rulesBroken(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('lint zones', () => {
  it('refuses the server importing the web app or the tests, and the web app importing the server', async () => {
    expect(await rulesBroken('src/api/zone-probe.ts', "export { request } from '../../web/src/api.js';\n")).toContain('import-x/no-restricted-paths');
    expect(await rulesBroken('src/api/zone-probe.ts', "export { startServer } from '../../test/helpers/server.js';\n")).toContain(
      'import-x/no-restricted-paths',
    );
    expect(await rulesBroken('web/src/zone-probe.ts', "export { db } from '../../src/db/connection.js';\n")).toContain('import-x/no-restricted-paths');
  });

  it('lets the web app read the API contract and the shared vocabulary', async () => {
    expect(await rulesBroken('web/src/zone-probe.ts', "export type { PhotoState } from '../../src/api/contract.js';\n")).toEqual([]);
    expect(await rulesBroken('web/src/zone-probe.ts', "export { formatBytes } from '../../src/model/byte-size.js';\n")).toEqual([]);
  });
});
