// The log of one execution environment: the runtime's and extensions' output cut into
// lines (a partial line waits for its end or the phase end), the platform's own lines,
// each emitted as a `log` engine event and, while a phase collects them, kept for the
// invocation result (its `logs` and `initLogs`).

import type { EngineEvent } from '../protocol/engineEvents';
import type { JsonForm } from './platformRecords';
import type { SourceSite } from '../protocol/sandbox';

type Stream = 'stdout' | 'stderr' | 'platform';

/** What Node prints about its inspector (debugging only). Its help link moved with Node's
 * site: /en/docs/inspector (Node 20), /learn/getting-started/debugging (Node 22.23, 24). */
const INSPECTOR_NOTICE =
  /^(Debugger listening on ws:\/\/|For help, see: https:\/\/nodejs\.org\/|Debugger attached\.|Waiting for the debugger to disconnect\.\.\.)/;

export class EnvironmentLog {
  private sink: string[] | null = null;
  private requestId: string | null = null;
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(
    private readonly environmentId: string,
    /** Debugging: Node's inspector notices are dropped from stderr. */
    private readonly inspect: boolean,
    private readonly emit: (event: EngineEvent) => void,
  ) {}

  /** From now on, lines are kept (and returned) for the invocation `requestId` (null: Init). */
  collect(requestId: string | null): string[] {
    this.requestId = requestId;
    return (this.sink = []);
  }

  /** Lines are no longer kept (they are still emitted). */
  stopCollecting(): void {
    this.sink = null;
  }

  /** Output of a process, in chunks that need not end at a line end. */
  output(stream: 'stdout' | 'stderr', text: string, site?: SourceSite): void {
    const buffered = this.partial[stream] + text;
    const lines = buffered.split('\n');
    this.partial[stream] = lines.pop()!;
    for (const line of lines) this.line(stream, line, site);
  }

  /** At a phase end: a partial line counts as a line. */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) {
        this.line(stream, this.partial[stream]);
        this.partial[stream] = '';
      }
    }
  }

  /** How platform lines are written (platformRecords.ts: JSON records with LogFormat JSON). */
  platformFormat: (line: string | null, json?: JsonForm) => string | null = (line) => line;

  /** A line of the platform's (START, END, REPORT, ...; null: none in the text log) and, when
   * it is not derived from the line, what the JSON log writes for it (platformRecords.ts). */
  platform(line: string | null, json?: JsonForm): void {
    const written = this.platformFormat(line, json);
    if (written !== null) this.line('platform', written);
  }

  private line(stream: Stream, rawLine: string, site?: SourceSite): void {
    // Node's own inspector notices are no output of the function.
    if (stream === 'stderr' && this.inspect && INSPECTOR_NOTICE.test(rawLine)) return;
    // The runtime folds a message's newlines into \r so it stays one record; unfold to show it.
    const line = rawLine.replace(/\r/g, '\n');
    this.sink?.push(line);
    this.emit({
      type: 'log',
      environmentId: this.environmentId,
      requestId: this.requestId,
      stream,
      line,
      ...(site ? { site } : {}),
    });
  }
}

/** Collected lines as the invocation result holds them: one per line, each ending in \n. */
export function joinLines(lines: string[]): string {
  return lines.length ? lines.join('\n') + '\n' : '';
}
