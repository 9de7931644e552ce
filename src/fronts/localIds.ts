// Stable ids for what AWS names with random ids: an API's 10-character id, a function URL's
// 32-character id. Derived from the logical names, so they stay the same across runs.

import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function idOf(text: string, length: number): string {
  const digest = createHash('sha256').update(text).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[digest[i] % ALPHABET.length];
  return id;
}

export const apiIdOf = (logicalId: string): string => idOf(`api:${logicalId}`, 10);
export const functionUrlIdOf = (functionId: string): string => idOf(`url:${functionId}`, 32);
