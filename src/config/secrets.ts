// Which variables hold secrets, and how they are shown to people: every panel, the Variables
// view and the logs show the masked form. No Node APIs: the webviews import it too.

/** Names of variables whose values are secrets (credentials, tokens, passwords). */
export function isSecretName(name: string): boolean {
  return /SECRET|SESSION_TOKEN|PASSWORD|ACCESS_KEY|PRIVATE_KEY|(^|_)TOKEN$/i.test(name);
}

/** A value shown in place of a secret: nothing of a secret key or a session token, and the
 * first four characters of an access key id (enough to tell keys apart). */
export function maskSecret(name: string, value: string): string {
  if (!isSecretName(name)) return value;
  if (name === 'AWS_ACCESS_KEY_ID') return value.length > 4 ? `${value.slice(0, 4)}${'*'.repeat(12)}` : '****';
  return '********';
}
