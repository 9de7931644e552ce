// What a session (the CLI's invoke and serve, a debug session) gives its functions of the
// user's AWS configuration, decided once in one place: the region (as the AWS CLI picks it),
// the credentials resolver, and the endpoint variables (the host's AWS_ENDPOINT_URL* over the
// profile's endpoint_url and services section, as the SDKs rank them).

import { CredentialsResolver, type CredentialsChoice } from './credentials';
import { profileEndpoints, profileRegion } from './profiles';

export interface AwsAccess {
  /** AWS_REGION: the one asked for, the host's, the profile's; undefined: the engine's default. */
  region: string | undefined;
  credentials: CredentialsResolver;
  /** AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)
   * for the function's SDK. */
  endpointVariables: Record<string, string>;
}

export async function resolveAwsAccess(
  choice: CredentialsChoice,
  options: { region?: string; onMessage?: (text: string) => void; host?: NodeJS.ProcessEnv } = {},
): Promise<AwsAccess> {
  const host = options.host ?? process.env;
  const profile = choice.kind === 'aws' ? choice.profile : undefined;
  const region =
    options.region ?? host.AWS_REGION ?? (choice.kind === 'aws' ? await profileRegion(profile) : undefined);
  const credentials = new CredentialsResolver(choice, { onMessage: options.onMessage, host });
  return { region, credentials, endpointVariables: await endpointVariables(profile, host) };
}

/** The host's endpoint variables over the profile's; the profile's are left out when the
 * host says AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true. */
export async function endpointVariables(
  profile: string | undefined,
  host: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  const ignore = host.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const variables = ignore ? {} : await profileEndpoints(profile ?? host.AWS_PROFILE);
  for (const [name, value] of Object.entries(host)) {
    if (value !== undefined && /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$|^AWS_IGNORE_CONFIGURED_ENDPOINT_URLS$/.test(name))
      variables[name] = value;
  }
  return variables;
}
