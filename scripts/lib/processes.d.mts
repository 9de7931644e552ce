// Types of processes.mjs for the TypeScript tests and the benchmark.
export declare function processesWithVariable(name: string, value: string): number[];
/** A process's parent pid (Linux /proc), or null when it is gone. */
export declare function parentOf(pid: number): number | null;
