// A reporter beside vitest's own: at the end of a run, the ten slowest test files and each project's files' time added
// up (the worker time the README's table of the suite's time records), so that every run says where its time went.
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** A file's time: importing it, its set-up and its tests and hooks (ms). */
const timeOf = (module: TestModule) => {
  const d = module.diagnostic();
  return d.collectDuration + d.setupDuration + d.duration;
};

export default class SlowestFiles implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (modules.length < 2) return;
    const timed = modules.map((module) => ({ project: module.project.name, file: path.relative(process.cwd(), module.moduleId), ms: timeOf(module) }));
    const perProject = new Map<string, number>();
    for (const { project, ms } of timed) perProject.set(project, (perProject.get(project) ?? 0) + ms);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1).padStart(7)} s`;
    const lines = timed
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10)
      .map(({ project, file, ms }) => `${seconds(ms)}  ${project.padEnd(9)} ${file}`);
    const totals = [...perProject].map(([project, ms]) => `${project} ${Math.round(ms / 1000)} s`).join(', ');
    process.stdout.write(`\nThe ten slowest test files:\n${lines.join('\n')}\nFiles' time added up per project: ${totals}\n`);
  }
}
