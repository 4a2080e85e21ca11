// Lists the functions, arrow functions and methods (components and hooks included) longer than a bound, longest
// first, through the TypeScript compiler's own parse of tsconfig.json's program:
//   node --import tsx scripts/long-functions.ts [--over 150] [folder…]   (default: src web/src)
// A nested function counts on its own too: a component's long handler is a long function of its own.
import path from 'node:path';
import { API } from '@typescript/native/unstable/sync';
import type { Node, SourceFile } from '@typescript/native/unstable/ast';
import {
  isArrowFunction,
  isCallExpression,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isMethodDeclaration,
  isPropertyAssignment,
  isVariableDeclaration,
} from '@typescript/native/unstable/ast/is';

export interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
}

/** The name a reader would look for: the declaration's own, or that of the variable, property or call it is given to. */
function nameOf(node: Node, source: SourceFile): string {
  const own = (node as { name?: Node }).name;
  if (own && isIdentifier(own)) return own.text;
  const parent = node.parent;
  if ((isVariableDeclaration(parent) || isPropertyAssignment(parent)) && isIdentifier(parent.name)) return parent.name.text;
  if (isCallExpression(parent)) return `(given to ${parent.expression.getText(source).slice(0, 40)})`;
  return '(anonymous)';
}

/** The functions of one parsed file longer than `over` lines, from their first token to their last. */
export function longFunctionsOf(source: SourceFile, file: string, over: number): LongFunction[] {
  const found: LongFunction[] = [];
  const visit = (node: Node): undefined => {
    if (isFunctionDeclaration(node) || isFunctionExpression(node) || isArrowFunction(node) || isMethodDeclaration(node)) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (last - first + 1 > over) found.push({ file, line: first + 1, name: nameOf(node, source), lines: last - first + 1 });
    }
    node.forEachChild(visit);
    return undefined;
  };
  visit(source);
  return found;
}

const args = process.argv.slice(2);
const overAt = args.indexOf('--over');
const over = overAt >= 0 ? Number(args.splice(overAt, 2)[1]) : 150;
const folders = (args.length > 0 ? args : ['src', 'web/src']).map((folder) => path.resolve(folder) + path.sep);

const api = new API({ cwd: process.cwd() });
try {
  const program = api.updateSnapshot({ openProjects: [path.resolve('tsconfig.json')] }).getProjects()[0]!.program;
  const files = program.getSourceFileNames().filter((file) => !file.endsWith('.d.ts'));
  for (const folder of folders) {
    const long = files
      .filter((file) => file.startsWith(folder))
      .flatMap((file) => longFunctionsOf(program.getSourceFile(file)!, path.relative(process.cwd(), file), over))
      .sort((a, b) => b.lines - a.lines);
    console.log(`${path.relative(process.cwd(), folder)}: ${long.length} functions over ${over} lines`);
    for (const item of long) console.log(`  ${String(item.lines).padStart(4)}  ${item.name}  ${item.file}:${item.line}`);
  }
} finally {
  api.close();
}
