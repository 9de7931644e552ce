// Types of processes.mjs for the TypeScript tests and the benchmark.
export declare function processesWithVariable(name: string, value: string): number[];
