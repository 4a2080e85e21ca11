// Runs one pipeline step by hand on a test server's library, with a row of the test's choosing (one read before
// something changed it, to reproduce a race), its files lent as the runner lends them and released after.
import type { PhotoRow } from '../../src/db/schema.js';
import type { PipelineStep, StepResult } from '../../src/pipeline/step.js';
import type { TestServer } from './server.js';

export async function runStepOn(server: TestServer, step: PipelineStep, photo: PhotoRow): Promise<StepResult> {
  const storage = server.lib.storage.at(photo.storageLocation);
  const lent: { release(): Promise<void> }[] = [];
  const localFile = async (key: string) => {
    const file = await storage.localFile(key);
    lent.push(file);
    return file.path;
  };
  const { db, ml, logger } = server.lib;
  try {
    return await step.run({
      photo,
      db,
      storage,
      ml,
      logger,
      localFile,
      original: () => localFile(photo.storageKey),
      sidecar: async () => null,
      giveWay: async () => {},
      video: server.lib.settings.video,
      shared: new Map(),
      signal: new AbortController().signal,
    });
  } finally {
    for (const file of lent) await file.release();
  }
}
