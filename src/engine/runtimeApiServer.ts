// One execution environment's Lambda Runtime API and Extensions API, served over HTTP on
// 127.0.0.1 on a free port. It holds `next` requests until the environment has an event
// for them, and reports to the environment what the runtime and extensions say:
// responses (whole or streamed), errors, init errors, registrations, readiness.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  CREDENTIALS_PATH,
  ExtensionPaths,
  Headers as H,
  RUNTIME_API_PREFIX,
  RuntimePaths,
  type ExtensionEvent,
} from '../protocol/runtimeApi';
import type { LambdaError } from '../protocol/engineEvents';
import { LIMITS } from '../config/functionConfig';

/** Lambda's largest synchronous response: 6 MB plus 100 bytes. */
export const MAX_RESPONSE_BYTES = LIMITS.syncPayloadBytes + 100;

export interface PendingEvent {
  requestId: string;
  payload: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

export type RuntimeOutcome =
  | { kind: 'response'; body: Buffer; streamed: boolean; contentType: string | null }
  | { kind: 'error'; error: LambdaError };

export interface RegisteredExtension {
  id: string;
  name: string;
  events: Array<'INVOKE' | 'SHUTDOWN'>;
  /** Waiting on /event/next: done with the current phase. */
  ready: boolean;
  waiting: http.ServerResponse | null;
  queue: ExtensionEvent[];
}

/** The container credentials endpoint (custom runtimes with temporary credentials): the
 * token its callers must send, and the credentials it gives now (null: none). */
export interface CredentialsEndpoint {
  token: string;
  current(): { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresAt: number } | null;
}

export interface RuntimeApiListener {
  /** The runtime asked for the next event (a custom runtime's phase end). */
  runtimeNext(): void;
  outcome(requestId: string, outcome: RuntimeOutcome): void;
  /** A piece of a streamed response, as it arrives (before its outcome). */
  responseChunk?(requestId: string, chunk: Buffer): void;
  initError(error: LambdaError): void;
  /** An extension registered or became ready; the environment re-checks its phase. */
  extensionsChanged(): void;
  extensionError(name: string, kind: 'init' | 'exit', errorType: string): void;
}

function lambdaErrorFrom(body: Buffer, errorTypeHeader: string | undefined): LambdaError {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Partial<LambdaError>;
    return {
      errorType: String(parsed.errorType ?? errorTypeHeader ?? 'Unknown'),
      errorMessage: String(parsed.errorMessage ?? ''),
      trace: Array.isArray(parsed.trace) ? parsed.trace.map(String) : [],
    };
  } catch {
    return { errorType: errorTypeHeader ?? 'Unknown', errorMessage: body.toString('utf8'), trace: [] };
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** How long a `next` that comes before any response of the current invocation waits for one
 * still in flight on another connection (see route's `next`). */
const NEXT_WITHOUT_RESPONSE_GRACE_MS = 50;

export class RuntimeApiServer {
  private readonly server: http.Server;
  private queued: PendingEvent | null = null;
  private waitingNext: http.ServerResponse | null = null;
  /** Invocation responses (or errors) whose request has begun but not yet ended. */
  private responsesInFlight = 0;
  /** A `next` came while a response was still arriving: the phase ends once it has. */
  private nextAfterResponse = false;
  private currentRequestId: string | null = null;
  /** The current invocation's response (or error) has begun to arrive. */
  private responseBegun = false;
  /** A `next` with no response begun waits this long for one still on its way. */
  private nextGrace: NodeJS.Timeout | null = null;
  readonly extensions = new Map<string, RegisteredExtension>();
  /** Registrations are accepted during Init only. */
  registrationOpen = true;
  /** Served at CREDENTIALS_PATH when set. */
  credentialsEndpoint: CredentialsEndpoint | null = null;

  constructor(
    private readonly listener: RuntimeApiListener,
    private readonly functionInfo: { functionName: string; functionVersion: string; handler: string },
  ) {
    this.server = http.createServer((req, res) => this.route(req, res));
    this.server.keepAliveTimeout = 0;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Makes an event available; answers a waiting `next` at once. */
  deliver(event: PendingEvent): void {
    this.queued = event;
    this.currentRequestId = event.requestId;
    this.responseBegun = false;
    if (this.waitingNext) {
      const res = this.waitingNext;
      this.waitingNext = null;
      this.answerNext(res);
    }
  }

  /** Sends an event to every extension subscribed to it. */
  deliverToExtensions(event: ExtensionEvent): void {
    for (const extension of this.extensions.values()) {
      if (!extension.events.includes(event.eventType)) continue;
      extension.ready = false;
      extension.queue.push(event);
      this.flushExtension(extension);
    }
  }

  /** True when every registered extension waits on /event/next. */
  extensionsReady(): boolean {
    for (const extension of this.extensions.values()) if (!extension.ready) return false;
    return true;
  }

  /** Forgets the runtime's and extensions' state (after a reset the processes are new). */
  reset(): void {
    this.queued = null;
    this.currentRequestId = null;
    this.clearNextGrace();
    this.waitingNext?.destroy();
    this.waitingNext = null;
    for (const extension of this.extensions.values()) extension.waiting?.destroy();
    this.extensions.clear();
    this.registrationOpen = true;
  }

  async close(): Promise<void> {
    this.clearNextGrace();
    this.waitingNext?.destroy();
    for (const extension of this.extensions.values()) extension.waiting?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private clearNextGrace(): void {
    if (this.nextGrace) clearTimeout(this.nextGrace);
    this.nextGrace = null;
  }

  private answerNext(res: http.ServerResponse): void {
    const event = this.queued!;
    this.queued = null;
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(event.payload),
      [H.requestId]: event.requestId,
      [H.deadlineMs]: String(event.deadlineMs),
      [H.invokedFunctionArn]: event.invokedFunctionArn,
      [H.traceId]: event.traceId,
    };
    if (event.clientContext) headers[H.clientContext] = event.clientContext;
    if (event.cognitoIdentity) headers[H.cognitoIdentity] = event.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(event.payload);
  }

  /** As Lambda's endpoint answers: the credentials for the right token, else 404. */
  private answerCredentials(req: http.IncomingMessage, res: http.ServerResponse): void {
    const endpoint = this.credentialsEndpoint;
    const credentials = endpoint && req.headers.authorization === endpoint.token ? endpoint.current() : null;
    if (!credentials) {
      const text = 'cannot get credentials for the provided token';
      res.writeHead(404, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    send(res, 200, {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      Token: credentials.sessionToken,
      Expiration: new Date(credentials.expiresAt).toISOString(),
    });
  }

  private flushExtension(extension: RegisteredExtension): void {
    if (!extension.waiting || extension.queue.length === 0) return;
    const res = extension.waiting;
    extension.waiting = null;
    const event = extension.queue.shift()!;
    send(res, 200, event, { [H.extensionIdentifier]: extension.id });
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    // A streamed response is also passed on as it arrives (response streaming's fronts).
    const streamedTo =
      req.method === 'POST' && req.headers[H.responseMode] === 'streaming'
        ? /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/response$/.exec(url)?.[1]
        : undefined;
    const forward = streamedTo === this.currentRequestId ? streamedTo : undefined;
    // A client may ask for the next event before its response's last bytes (a streamed
    // body's end, its error trailers) have reached us, on another connection: the official
    // 4.x client does after a streamed error (it waits for the request to be written, not
    // answered). As on Lambda, the invocation ends with its response, so that `next` only
    // counts once the response is complete.
    const isResponse =
      req.method === 'POST' && /^\/2018-06-01\/runtime\/invocation\/[^/]+\/(response|error)$/.test(url);
    let settled = false;
    const settle = () => {
      if (!isResponse || settled) return;
      settled = true;
      this.responsesInFlight--;
      if (this.responsesInFlight === 0 && this.nextAfterResponse) {
        this.nextAfterResponse = false;
        if (this.waitingNext) this.listener.runtimeNext();
      }
    };
    if (isResponse) {
      this.responsesInFlight++;
      this.responseBegun = true;
      req.on('close', settle);
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) tooLarge = true;
      else {
        chunks.push(chunk);
        if (forward) this.listener.responseChunk?.(forward, chunk);
      }
    });
    req.on('end', () => {
      try {
        this.handle(req, res, url, Buffer.concat(chunks), tooLarge);
      } catch (error) {
        send(res, 500, { errorType: 'InternalError', errorMessage: String(error) });
      } finally {
        settle();
      }
    });
  }

  private handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: string,
    body: Buffer,
    tooLarge: boolean,
  ): void {
    if (req.method === 'GET' && url === CREDENTIALS_PATH) {
      this.answerCredentials(req, res);
      return;
    }
    if (req.method === 'GET' && url === RuntimePaths.next) {
      this.registrationOpen = false;
      if (this.waitingNext) this.waitingNext.destroy();
      if (this.queued) this.answerNext(res);
      else {
        this.waitingNext = res;
        if (this.responsesInFlight > 0) this.nextAfterResponse = true;
        else if (this.currentRequestId !== null && !this.responseBegun) {
          // An invocation with no response yet: the runtime may have written it on another
          // connection that our event loop has not read (the official 4.x client's streamed
          // error ends its request and asks for the next event at once). Give the loop a
          // moment to read it; a runtime that truly sent none goes on after that.
          this.clearNextGrace();
          this.nextGrace = setTimeout(() => {
            this.nextGrace = null;
            if (this.waitingNext !== res) return;
            if (this.responsesInFlight > 0) this.nextAfterResponse = true;
            else this.listener.runtimeNext();
          }, NEXT_WITHOUT_RESPONSE_GRACE_MS);
        } else this.listener.runtimeNext();
      }
      return;
    }
    const invocation = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && invocation) {
      const [, requestId, kind] = invocation;
      if (requestId !== this.currentRequestId) {
        send(res, 400, { errorMessage: `Invalid request ID: ${requestId}`, errorType: 'InvalidRequestID' });
        return;
      }
      const trailerType = req.trailers[H.functionErrorType];
      if (kind === 'error' || trailerType) {
        const trailerBody = req.trailers[H.functionErrorBody];
        const error = trailerBody
          ? lambdaErrorFrom(Buffer.from(trailerBody, 'base64'), trailerType)
          : lambdaErrorFrom(body, req.headers[H.functionErrorType] as string | undefined);
        this.listener.outcome(requestId, { kind: 'error', error });
        send(res, 202, { status: 'OK' });
        return;
      }
      if (tooLarge) {
        this.listener.outcome(requestId, {
          kind: 'error',
          error: {
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
            trace: [],
          },
        });
        send(res, 413, {
          errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          errorType: 'RequestEntityTooLarge',
        });
        return;
      }
      this.listener.outcome(requestId, {
        kind: 'response',
        body,
        streamed: req.headers[H.responseMode] === 'streaming',
        contentType: (req.headers['content-type'] as string | undefined) ?? null,
      });
      send(res, 202, { status: 'OK' });
      return;
    }
    if (req.method === 'POST' && url === RuntimePaths.initError) {
      this.listener.initError(lambdaErrorFrom(body, req.headers[H.functionErrorType] as string | undefined));
      send(res, 202, { status: 'OK' });
      return;
    }
    if (url.startsWith(RUNTIME_API_PREFIX)) {
      send(res, 404, { errorType: 'NotFound', errorMessage: `No such Runtime API path: ${url}` });
      return;
    }
    this.handleExtensions(req, res, url, body);
  }

  private handleExtensions(req: http.IncomingMessage, res: http.ServerResponse, url: string, body: Buffer): void {
    if (req.method === 'POST' && url === ExtensionPaths.register) {
      const name = req.headers[H.extensionName];
      if (typeof name !== 'string' || name === '') {
        send(res, 400, { errorType: 'InvalidRequest', errorMessage: 'Missing Lambda-Extension-Name header' });
        return;
      }
      if (!this.registrationOpen) {
        send(res, 403, {
          errorType: 'Extension.InvalidRegistration',
          errorMessage: 'Extensions register during Init only',
        });
        return;
      }
      let events: Array<'INVOKE' | 'SHUTDOWN'>;
      try {
        events = (JSON.parse(body.toString('utf8') || '{}').events ?? []).filter(
          (e: string) => e === 'INVOKE' || e === 'SHUTDOWN',
        );
      } catch {
        send(res, 400, {
          errorType: 'InvalidRequest',
          errorMessage: 'Body must be JSON: {"events": ["INVOKE", "SHUTDOWN"]}',
        });
        return;
      }
      const extension: RegisteredExtension = { id: randomUUID(), name, events, ready: false, waiting: null, queue: [] };
      this.extensions.set(extension.id, extension);
      send(
        res,
        200,
        {
          functionName: this.functionInfo.functionName,
          functionVersion: this.functionInfo.functionVersion,
          handler: this.functionInfo.handler,
        },
        { [H.extensionIdentifier]: extension.id },
      );
      this.listener.extensionsChanged();
      return;
    }
    const id = req.headers[H.extensionIdentifier];
    const extension = typeof id === 'string' ? this.extensions.get(id) : undefined;
    if (!extension) {
      send(res, 403, {
        errorType: 'Extension.UnknownExtensionIdentifier',
        errorMessage: 'Unknown Lambda-Extension-Identifier',
      });
      return;
    }
    if (req.method === 'GET' && url === ExtensionPaths.next) {
      extension.waiting?.destroy();
      extension.waiting = res;
      extension.ready = true;
      this.flushExtension(extension);
      this.listener.extensionsChanged();
      return;
    }
    if (req.method === 'POST' && (url === ExtensionPaths.initError || url === ExtensionPaths.exitError)) {
      const errorType = String(req.headers[H.extensionFunctionError] ?? 'Extension.Unknown');
      this.listener.extensionError(extension.name, url === ExtensionPaths.initError ? 'init' : 'exit', errorType);
      send(res, 202, { status: 'OK' });
      return;
    }
    send(res, 404, { errorType: 'NotFound', errorMessage: `No such Extensions API path: ${url}` });
  }
}
