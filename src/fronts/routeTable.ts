// API Gateway's route selection: a request's method and path against the routes of every
// API served. Static segments beat `{param}` segments, which beat a greedy `{proxy+}`; a
// route's own method beats `ANY`; an HTTP API's `$default` route catches what nothing else
// matches. Paths are matched without a stage prefix, as `sam local start-api` serves them.

import type { HttpRouteDefinition } from '../config/httpEvents';

export interface RouteMatch {
  route: HttpRouteDefinition;
  pathParameters: Record<string, string> | null;
}

type Segment = { kind: 'static'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

function segmentsOf(routePath: string): Segment[] {
  return routePath
    .split('/')
    .filter((s) => s !== '')
    .map((s): Segment => {
      const greedy = /^\{(.+)\+\}$/.exec(s);
      if (greedy) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{(.+)\}$/.exec(s);
      if (param) return { kind: 'param', name: param[1] };
      return { kind: 'static', text: s };
    });
}

const RANK = { static: 0, param: 1, greedy: 2 } as const;

/** Matches one route's path; the path parameters when it matches. */
function matchPath(segments: Segment[], parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === 'greedy') {
      if (i >= parts.length) return null; // `{proxy+}` needs at least one segment.
      params[segment.name] = parts.slice(i).map(decode).join('/');
      return params;
    }
    if (i >= parts.length) return null;
    if (segment.kind === 'static' && segment.text !== parts[i]) return null;
    if (segment.kind === 'param') params[segment.name] = decode(parts[i]);
  }
  return segments.length === parts.length ? params : null;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export class RouteTable {
  private readonly compiled: { route: HttpRouteDefinition; segments: Segment[] }[];

  constructor(readonly routes: HttpRouteDefinition[]) {
    this.compiled = routes.map((route) => ({
      route,
      segments: route.path === '$default' ? [] : segmentsOf(route.path),
    }));
  }

  match(method: string, pathname: string): RouteMatch | null {
    const parts = pathname.split('/').filter((s) => s !== '');
    let best: { route: HttpRouteDefinition; segments: Segment[]; params: Record<string, string> } | null = null;
    for (const candidate of this.compiled) {
      if (candidate.route.path === '$default') continue;
      if (candidate.route.method !== 'ANY' && candidate.route.method !== method) continue;
      const params = matchPath(candidate.segments, parts);
      if (params && (!best || moreSpecific(candidate, best))) best = { ...candidate, params };
    }
    if (best) {
      return { route: best.route, pathParameters: Object.keys(best.params).length > 0 ? best.params : null };
    }
    const fallback = this.compiled.find((c) => c.route.path === '$default');
    return fallback ? { route: fallback.route, pathParameters: null } : null;
  }

  /** REST APIs answer an unmatched route with 403 "Missing Authentication Token", HTTP APIs with 404. */
  get hasRestApi(): boolean {
    return this.routes.some((r) => r.api === 'rest');
  }
}

function moreSpecific(
  a: { route: HttpRouteDefinition; segments: Segment[] },
  b: { route: HttpRouteDefinition; segments: Segment[] },
): boolean {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const ra = a.segments[i] ? RANK[a.segments[i].kind] : -1;
    const rb = b.segments[i] ? RANK[b.segments[i].kind] : -1;
    if (ra !== rb) return ra < rb;
  }
  if (a.segments.length !== b.segments.length) return a.segments.length > b.segments.length;
  return a.route.method !== 'ANY' && b.route.method === 'ANY';
}
