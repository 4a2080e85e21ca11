// Admin capabilities are checked in one place (src/auth/permissions.ts, applied by src/api/plugins/auth.ts from each
// route's declaration): a handler that compared the role itself would let an admin's key without the `admin`
// scope through (issue 29). This keeps it so.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/server.js';

function sources(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('admin capabilities', () => {
  it("are never decided by a handler looking at the actor's role", () => {
    const offenders: string[] = [];
    for (const file of sources(path.join(repoRoot, 'src/api'))) {
      if (file.endsWith(path.join('plugins', 'auth.ts'))) continue; // builds the actor
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/actor[!?]*\.role\b|\.role\s*[!=]==\s*'admin'.*actor|isAdmin\s*\(/.test(line))
            offenders.push(`${path.relative(repoRoot, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
