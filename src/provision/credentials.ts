// The AWS credentials a function gets, as Lambda gives its execution role's: the
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN variables. Resolved in the
// engine's process (never in the sandbox) by AWS's own providers, exactly as the AWS CLI and
// SDK resolve them: a named profile (static keys, SSO, credential_process, assume-role
// chains) or the default chain. Kept in memory only, refreshed before they expire.

import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';

/** What the user chose: AWS credentials (a profile, or the default chain) or none. */
export type CredentialsChoice = { kind: 'none' } | { kind: 'aws'; profile?: string };

export interface AwsCredentialsLike {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type CredentialsProvider = () => Promise<AwsCredentialsLike>;

/** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, and when they expire
 * (epoch ms; null: they do not, as a profile's static keys). */
export interface CurrentCredentials {
  variables: Record<string, string>;
  expiresAt: number | null;
}

/** Where the engine gets credentials (engine option `credentials`); never throws (no
 * variables when there are none). */
export interface CredentialsSource {
  current(): Promise<CurrentCredentials>;
}

/** The variables that carry credentials into an environment. */
export const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

/** Temporary credentials closer than this to their expiry are fetched anew. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** How long a failed resolution is not retried. */
export const RETRY_MS = 30 * 1000;

export interface CredentialsOptions {
  /** Told once per distinct problem (profile missing, SSO expired, none found). Never given secrets. */
  onMessage?: (text: string) => void;
  /** For tests: the provider to use instead of AWS's. */
  provider?: CredentialsProvider;
  now?: () => number;
  host?: NodeJS.ProcessEnv;
}

const NO_CREDENTIALS: CurrentCredentials = { variables: {}, expiresAt: null };

/** Gives an environment its credential variables at each Init and invoke (engine option
 * `credentials`); the same values until they come near their expiry. */
export class CredentialsResolver implements CredentialsSource {
  private cached: CurrentCredentials | null = null;
  private pending: Promise<CurrentCredentials> | null = null;
  /** After a failure, asked again no sooner than RETRY_MS later (e.g. after `aws sso login`). */
  private failedAt: number | null = null;
  private readonly told = new Set<string>();
  private readonly provider: CredentialsProvider | null;
  private readonly now: () => number;
  private readonly host: NodeJS.ProcessEnv;

  constructor(
    readonly choice: CredentialsChoice,
    private readonly options: CredentialsOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.host = options.host ?? process.env;
    if (choice.kind === 'none') this.provider = null;
    else if (options.provider) this.provider = options.provider;
    else if (choice.profile) this.provider = fromIni({ profile: choice.profile, ignoreCache: true });
    else this.provider = fromNodeProviderChain({ ignoreCache: true });
  }

  /** The profile the credentials come from, as the AWS CLI would pick it. */
  get profile(): string | null {
    if (this.choice.kind === 'none') return null;
    return this.choice.profile ?? this.host.AWS_PROFILE ?? 'default';
  }

  /** For the Debug Console banner: where credentials come from and the region; never keys. */
  describe(region: string): string {
    if (this.choice.kind === 'none') return `AWS credentials: none; region ${region}`;
    const from = this.choice.profile ? `profile ${this.profile}` : `the default chain (profile ${this.profile})`;
    return `AWS credentials: ${from}; region ${region}`;
  }

  /** The credential variables now: {} when there are none. Never throws. */
  async variables(): Promise<Record<string, string>> {
    return (await this.current()).variables;
  }

  /** The credentials now and when they expire. Never throws. */
  async current(): Promise<CurrentCredentials> {
    if (!this.provider) return NO_CREDENTIALS;
    if (this.failedAt !== null && this.now() - this.failedAt < RETRY_MS) return NO_CREDENTIALS;
    const cached = this.cached;
    if (cached && (cached.expiresAt === null || cached.expiresAt - this.now() > REFRESH_MARGIN_MS)) return cached;
    this.pending ??= this.fetch().finally(() => (this.pending = null));
    return this.pending;
  }

  private async fetch(): Promise<CurrentCredentials> {
    try {
      const credentials = await this.provider!();
      const variables: Record<string, string> = {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      };
      if (credentials.sessionToken) variables.AWS_SESSION_TOKEN = credentials.sessionToken;
      this.failedAt = null;
      this.cached = { variables, expiresAt: credentials.expiration ? credentials.expiration.getTime() : null };
      return this.cached;
    } catch (error) {
      this.tell(this.explain(error));
      // Expired credentials are not handed on; the function runs without, as the message says.
      this.cached = null;
      this.failedAt = this.now();
      return NO_CREDENTIALS;
    }
  }

  private explain(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const profile = this.profile;
    const explicit = this.choice.kind === 'aws' && this.choice.profile !== undefined;
    if (/sso/i.test(message) && /expired|invalid|token|refresh/i.test(message))
      return `The SSO session of AWS profile '${profile}' has expired: run \`aws sso login --profile ${profile}\`. The function runs without AWS credentials.`;
    if (
      explicit &&
      /could not resolve credentials using profile|profile .* (could not be found|not found)/i.test(message)
    )
      return `AWS profile '${profile}' does not exist in ${this.configFiles()}. The function runs without AWS credentials.`;
    if (!explicit && /could not load credentials from any providers/i.test(message))
      return `No AWS credentials found by the AWS SDK's default chain (profile '${profile}'); the function runs without. Choose a profile (--profile, "profile", the Lambda sidebar) or run \`aws configure\`.`;
    return `AWS credentials of profile '${profile}' could not be resolved: ${message}. The function runs without AWS credentials.`;
  }

  private configFiles(): string {
    const config = this.host.AWS_CONFIG_FILE ?? '~/.aws/config';
    const credentials = this.host.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials';
    return `${config} or ${credentials}`;
  }

  private tell(text: string): void {
    if (this.told.has(text)) return;
    this.told.add(text);
    this.options.onMessage?.(text);
  }
}
