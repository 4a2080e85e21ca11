// onnxruntime-node's Linux library carries Microsoft's telemetry client (1DS, "OneCollector"): left on, the first
// session writes ~/.cache/Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db (or under XDG_CACHE_HOME) and, some
// 9 s later, threads of its own look up and post to mobile.events.data.microsoft.com through the system's resolver,
// where Node's sockets and resolver never see them. The library reads ORT_DISABLE_TELEMETRY from the process's
// environment when its first session is made, and "0" turns it on: forced to "1" here, whatever the user's
// environment says. Imported first by every module that loads onnxruntime-node or transformers.js (which runs on
// it), by the CLI's entry and where the model worker threads start; test/unit/telemetry-off.test.ts holds that.
//
// Only the main thread's `process.env` is the process's environment (setenv, inherited by child processes); a
// worker thread's is a copy native code never reads, so a worker can only check that its parent set it first.
import { isMainThread } from 'node:worker_threads';

/** onnxruntime's switch: "1", "true" or "yes" turns its telemetry off. */
export const ORT_TELEMETRY_SWITCH = 'ORT_DISABLE_TELEMETRY';

if (isMainThread) {
  process.env[ORT_TELEMETRY_SWITCH] = '1';
} else if (process.env[ORT_TELEMETRY_SWITCH] !== '1') {
  throw new Error(
    `${ORT_TELEMETRY_SWITCH} was not set by the main thread before this worker started: onnxruntime would send telemetry (config/telemetry-off.ts)`,
  );
}
