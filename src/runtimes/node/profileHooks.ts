// Module hooks of the Init profile (initProfile.ts) for ES modules: the resolve hook notes
// who first imported each module and with what specifier; the load hook marks the start and
// the end of each ES module's top-level code in its source (`enter` before its first
// statement, on its first line so no line moves; `exit` after its last). Registered with
// module.registerHooks in the runtime's own thread where Node has it (22.15+, 24), else with
// module.register (Node 20), when this file runs in Node's loader thread.

import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';

/** The global (a registered symbol, so no name is added to globalThis) the marks call. */
export const PROFILE_GLOBAL = 'lambda-lifecycle.initProfile';

const CALL = `globalThis[Symbol.for(${JSON.stringify(PROFILE_GLOBAL)})]`;

/** What leads an ES module's first line (always the same, so that the Init phase stop can
 * arm its breakpoint past it: phases.ts). */
export const ENTER_MARK = `${CALL}?.enter(import.meta.url);`;

/** Who first imported a module, and how. */
export interface ImportedBy {
  parentUrl: string | null;
  specifier: string;
}

interface ResolveResult {
  url: string;
  format?: string | null;
}
interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
}

/** The first importer of each module resolved so far (shared by both kinds of registration). */
export const importers = new Map<string, ImportedBy>();

let skipPrefix: string | null = null;
/** Whether anyone reads source maps (a debugger attached, or Node's own for TypeScript). */
let sourceMaps = true;

/** Notes the first importer of a resolved module. */
export function noteResolved(url: string, specifier: string, parentUrl: string | undefined): void {
  if (!importers.has(url)) importers.set(url, { parentUrl: parentUrl ?? null, specifier });
}

/** An ES module's source with the profile's marks, or the source unchanged. */
export function markSource(url: string, result: LoadResult): LoadResult {
  if (result.format !== 'module' || !url.startsWith('file:') || result.source == null) return result;
  if (skipPrefix && url.startsWith(skipPrefix)) return result;
  const source =
    typeof result.source === 'string'
      ? result.source
      : Buffer.from(
          result.source instanceof ArrayBuffer ? new Uint8Array(result.source) : (result.source as Uint8Array),
        ).toString('utf8');
  const by = importers.get(url) ?? null;
  const enter = ENTER_MARK;
  const exit = `\n;${CALL}?.exit(import.meta.url,${JSON.stringify(by)});\n`;
  // A hashbang stays first; the enter mark goes on the line after it.
  const hashbang = /^#![^\n]*\n/.exec(source)?.[0] ?? '';
  const body = source.slice(hashbang.length);
  const mapComment = new RegExp(`\\n${MAP_COMMENT}([^\\n]*)\\s*$`).exec(body);
  if (!mapComment) {
    // Only line 1's columns move. With no debugger, and source maps off (no TypeScript),
    // nobody reads a map: none is made (it costs a JSON and base64 copy of the source).
    if (!sourceMaps) return { ...result, source: hashbang + enter + body + exit };
    // A map back to the file as written, so that a debugger shows and binds in it unchanged.
    const lines = (hashbang + body).split('\n').length;
    const map = identityMap(url, hashbang + body, hashbang ? 1 : 0, enter.length, lines);
    return { ...result, source: hashbang + enter + body + exit + map };
  }
  // A module with its own map (TypeScript, a bundle): the exit mark goes before the map
  // comment, which stays last; an inline map's first line moves by the enter mark.
  const code = body.slice(0, mapComment.index);
  const shifted = shiftInlineMap(mapComment[1], hashbang ? -1 : enter.length);
  return { ...result, source: hashbang + enter + code + exit + `${MAP_COMMENT}${shifted}\n` };
}

/** A source map comment's start, written in two parts so that no tool reading this runtime's
 * bundle takes it for the bundle's own. */
const MAP_COMMENT = `//${String.fromCharCode(35)} sourceMappingURL=`;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

function unvlq(text: string, from: number): { value: number; next: number } {
  let result = 0;
  let shift = 0;
  let at = from;
  for (;;) {
    const digit = BASE64.indexOf(text[at++]);
    result += (digit & 31) << shift;
    shift += 5;
    if (!(digit & 32)) break;
  }
  return { value: result & 1 ? -(result >>> 1) : result >>> 1, next: at };
}

/** An inline source map saying each line is the same line of the file as written; the line
 * holding the enter mark starts `offset` columns later. */
function identityMap(url: string, original: string, markLine: number, offset: number, lines: number): string {
  const segments: string[] = [];
  for (let line = 0; line < lines; line++) {
    const first = line === 0 ? 'AAAA' : 'AACA';
    segments.push(line === markLine ? `${vlq(offset)}A${line === 0 ? 'A' : 'C'}A` : first);
  }
  const map = { version: 3, sources: [url], sourcesContent: [original], names: [], mappings: segments.join(';') };
  return `${MAP_COMMENT}data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

/** An inline map whose first generated line starts `offset` columns later (unchanged when it
 * is not inline, or the mark is not on its first line: offset < 0). */
function shiftInlineMap(reference: string, offset: number): string {
  const inline = /^data:application\/json;(?:charset=utf-8;)?base64,(.*)$/.exec(reference.trim());
  if (!inline || offset < 0) return reference;
  try {
    const map = JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8')) as { mappings: string };
    if (!map.mappings || map.mappings.startsWith(';')) return reference;
    const first = unvlq(map.mappings, 0);
    map.mappings = vlq(first.value + offset) + map.mappings.slice(first.next);
    return `data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
  } catch {
    return reference;
  }
}

// ----- module.register (Node 20): this file in Node's loader thread ------------------------

/** Node 20: where the loader thread tells the runtime's thread who imported a CommonJS
 * module (an ES module's importer rides on its exit mark; a CommonJS module has none). */
let importerPort: MessagePort | null = null;

/** What the loader thread posts on `importerPort`. */
export interface ImporterNote extends ImportedBy {
  url: string;
}

export function initialize(data: { skipPrefix?: string; sourceMaps?: boolean; port?: MessagePort } | undefined): void {
  skipPrefix = data?.skipPrefix ?? null;
  sourceMaps = data?.sourceMaps ?? true;
  importerPort = data?.port ?? null;
}

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: (specifier: string, context: unknown) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  const result = await next(specifier, context);
  noteResolved(result.url, specifier, context.parentURL);
  return result;
}

export async function load(
  url: string,
  context: unknown,
  next: (url: string, context: unknown) => Promise<LoadResult>,
): Promise<LoadResult> {
  const result = await next(url, context);
  if (importerPort && result.format === 'commonjs') {
    const by = importers.get(url);
    if (by) importerPort.postMessage({ url, ...by } satisfies ImporterNote);
  }
  return markSource(url, result);
}

// ----- module.registerHooks (Node 22.15+, 24): in the runtime's own thread -------------------

/** Synchronous hooks for module.registerHooks. */
export function syncHooks(
  skip: string,
  maps = true,
): {
  resolve: (s: string, c: { parentURL?: string }, n: (s: string, c: unknown) => ResolveResult) => ResolveResult;
  load: (u: string, c: unknown, n: (u: string, c: unknown) => LoadResult) => LoadResult;
} {
  skipPrefix = skip;
  sourceMaps = maps;
  return {
    resolve: (specifier, context, next) => {
      const result = next(specifier, context);
      noteResolved(result.url, specifier, context.parentURL);
      return result;
    },
    load: (url, context, next) => markSource(url, next(url, context)),
  };
}

/** A file URL's path (other URLs as they are). */
export function urlPath(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url) : url;
}
