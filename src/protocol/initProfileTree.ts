// The Init profile as people read it (the state panel's tree, the import CodeLenses): a tree
// sorted by cost, the heaviest first, where the user's own files stay apart and each package
// is folded into its entry point (what it loaded inside itself is its own time); and hints
// where the cause is common and known. Pure functions over the profile's entries.

import type { InitProfileEntry } from './engineEvents';

export interface ProfileNode {
  /** Its index in the profile (load order); the CodeLens opens the tree at it. */
  index: number;
  specifier: string;
  resolved: string | null;
  kind: InitProfileEntry['kind'];
  /** The package it belongs to (`@aws-sdk/client-dynamodb`), null for the user's own files. */
  packageName: string | null;
  /** Own time; for a folded package, its own and its inner modules' time. */
  selfMs: number;
  totalMs: number;
  /** Modules folded into it (a package's inner modules), itself not counted. */
  folded: number;
  children: ProfileNode[];
  hints: string[];
}

/** The package a resolved path lies in (the last node_modules folder), or null. */
export function packageOf(resolved: string | null): string | null {
  if (!resolved) return null;
  const parts = resolved.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return null;
  return parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2] ?? ''}` : parts[at + 1];
}

/** A hint shows on modules that cost at least this much (ms). */
export const HEAVY_MS = 50;
/** A package loading this many files or more at Init is not bundled. */
const MANY_FILES = 20;

export interface ProfileTree {
  roots: ProfileNode[];
  /** For each profile index, the index of the node that shows it (a package's entry point
   * for its inner modules). */
  shownAt: number[];
}

/** The profile as a tree: each package folded into its entry point, children heaviest first. */
export function profileTree(entries: InitProfileEntry[]): ProfileTree {
  const roots: ProfileNode[] = [];
  const shownAt: number[] = [];
  // The node each depth's last entry went to (a folded package swallows what is below it).
  const stack: Array<{ node: ProfileNode; depth: number; foldedInto: boolean }> = [];
  entries.forEach((entry, index) => {
    while (stack.length && stack[stack.length - 1].depth >= entry.depth) stack.pop();
    const parent = stack[stack.length - 1];
    const packageName = packageOf(entry.resolved);
    if (parent && parent.node.packageName && (parent.foldedInto || packageName === parent.node.packageName)) {
      // Inside a package: folded into its entry point.
      parent.node.folded += 1;
      parent.node.selfMs += entry.selfMs;
      shownAt[index] = parent.node.index;
      stack.push({ node: parent.node, depth: entry.depth, foldedInto: true });
      return;
    }
    const node: ProfileNode = {
      index,
      specifier: entry.specifier,
      resolved: entry.resolved,
      kind: entry.kind,
      packageName,
      selfMs: entry.selfMs,
      totalMs: entry.totalMs,
      folded: 0,
      children: [],
      hints: [],
    };
    shownAt[index] = index;
    if (parent) parent.node.children.push(node);
    else roots.push(node);
    stack.push({ node, depth: entry.depth, foldedInto: packageName !== null });
  });
  const sort = (nodes: ProfileNode[]) => {
    nodes.sort((a, b) => b.totalMs - a.totalMs);
    for (const node of nodes) {
      node.hints = hintsFor(node);
      sort(node.children);
    }
  };
  sort(roots);
  return { roots, shownAt };
}

/** Hints where the cause is common and known, for one node of the tree. */
export function hintsFor(node: ProfileNode): string[] {
  const hints: string[] = [];
  if (node.kind === 'await') return hints;
  if (node.packageName === 'aws-sdk' && node.totalMs >= 1) {
    hints.push(
      node.specifier === 'aws-sdk'
        ? "The whole AWS SDK v2: import one client (require('aws-sdk/clients/dynamodb')), or the SDK v3 client you use (@aws-sdk/client-dynamodb)."
        : 'AWS SDK v2 (in maintenance): the SDK v3 client (@aws-sdk/client-…) loads less.',
    );
  }
  if (node.packageName && node.totalMs >= HEAVY_MS && node.folded + 1 >= MANY_FILES) {
    hints.push(
      `${node.folded + 1} files of ${node.packageName} loaded one by one: bundling the function (esbuild with minify) loads one file instead.`,
    );
  }
  return hints;
}

/** The entries one file's imports and requires loaded directly (its children in the profile),
 * with their indexes; `resolved` is the file as the profile shows it. */
export function importsOf(
  entries: InitProfileEntry[],
  resolved: string,
): Array<{ index: number; entry: InitProfileEntry }> {
  const out: Array<{ index: number; entry: InitProfileEntry }> = [];
  entries.forEach((entry, index) => {
    if (entry.resolved !== resolved || entry.kind === 'await') return;
    for (let i = index + 1; i < entries.length && entries[i].depth > entry.depth; i++) {
      if (entries[i].depth === entry.depth + 1 && entries[i].kind !== 'await')
        out.push({ index: i, entry: entries[i] });
    }
  });
  return out;
}

/** "Init: 124 ms" */
export function initCostText(ms: number): string {
  return `Init: ${ms < 1 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** A heavy import used on one line only: its cost could move out of Init to the invocations
 * that need it. `source` is the importing file's text; `binding` the name it imports into. */
export function onePathHint(source: string, binding: string, totalMs: number, importLine: number): string | null {
  if (totalMs < HEAVY_MS || !/^[A-Za-z_$][\w$]*$/.test(binding)) return null;
  const uses: number[] = [];
  const word = new RegExp(`(^|[^\\w$.])${binding.replace(/\$/g, '\\$')}(?![\\w$])`);
  source.split('\n').forEach((line, number) => {
    if (number !== importLine && word.test(line.replace(/\/\/.*$/, ''))) uses.push(number);
  });
  if (uses.length !== 1) return null;
  return `Used on line ${uses[0] + 1} only: if that path is rare, import it there (await import(…)) to take it out of Init.`;
}

/** The lines of a file that import or require `specifier`, with the name they bind (if one). */
export function importLines(text: string, specifier: string): Array<{ line: number; binding: string | null }> {
  const quoted = `['"\`]${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"\`]`;
  const loads = new RegExp(
    `(require\\s*\\(\\s*${quoted}\\s*\\)|import\\s*\\(\\s*${quoted}|from\\s*${quoted}|^\\s*import\\s*${quoted})`,
  );
  const out: Array<{ line: number; binding: string | null }> = [];
  text.split('\n').forEach((content, line) => {
    if (!loads.test(content)) return;
    const binding =
      /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/.exec(content)?.[1] ??
      /import\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s+from/.exec(content)?.[1] ??
      null;
    out.push({ line, binding });
  });
  return out;
}
