// Greeter: an ES module; top-level await runs once, during Init.
const greeting = await Promise.resolve(process.env.GREETING ?? 'Hello');

export const handler = async (event) => ({ message: `${greeting}, ${event.name ?? 'world'}!` });
