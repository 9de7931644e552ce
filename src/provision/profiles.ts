// The AWS profiles of this machine as the AWS CLI sees them (~/.aws/config and credentials,
// or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE), read by AWS's own shared-config loader:
// for the sidebar's profile picker, a profile's default region and its endpoints. Never their
// secrets.

import { loadSharedConfigFiles } from '@smithy/core/config';

export interface ProfileSummary {
  name: string;
  region?: string;
  /** How its credentials are obtained, for the picker's description. */
  kind: 'sso' | 'assume role' | 'credential_process' | 'keys' | 'other';
}

export async function listProfiles(): Promise<ProfileSummary[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  // The loader also gives `[sso-session x]` and `[services x]` sections, as `sso-session.x`.
  const names = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])]
    .filter((name) => !/^(sso-session|services)\./.test(name))
    .sort();
  return names.map((name) => {
    const settings = { ...credentialsFile[name], ...configFile[name] };
    const kind: ProfileSummary['kind'] =
      settings.sso_session || settings.sso_start_url
        ? 'sso'
        : settings.role_arn
          ? 'assume role'
          : settings.credential_process
            ? 'credential_process'
            : settings.aws_access_key_id
              ? 'keys'
              : 'other';
    return { name, kind, ...(settings.region ? { region: settings.region } : {}) };
  });
}

/** The region a profile names (`region =`), as the AWS CLI would use it; undefined when none. */
export async function profileRegion(profile: string | undefined): Promise<string | undefined> {
  try {
    const { configFile } = await loadSharedConfigFiles({ ignoreCache: true });
    return configFile[profile ?? process.env.AWS_PROFILE ?? 'default']?.region;
  } catch {
    return undefined;
  }
}

/** A profile's configured endpoints (AWS's "service-specific endpoints"): its `endpoint_url`
 * as AWS_ENDPOINT_URL, and each `<service> = / endpoint_url = …` of the `[services X]` section
 * it names as AWS_ENDPOINT_URL_<SERVICE>, the variables the SDKs read in their place. None
 * when the profile says `ignore_configured_endpoint_urls = true`. */
export async function profileEndpoints(profile: string | undefined): Promise<Record<string, string>> {
  let configFile: Awaited<ReturnType<typeof loadSharedConfigFiles>>['configFile'];
  try {
    ({ configFile } = await loadSharedConfigFiles({ ignoreCache: true }));
  } catch {
    return {};
  }
  const settings = configFile[profile ?? process.env.AWS_PROFILE ?? 'default'];
  if (!settings || settings.ignore_configured_endpoint_urls?.toLowerCase() === 'true') return {};
  const variables: Record<string, string> = {};
  if (settings.endpoint_url) variables.AWS_ENDPOINT_URL = settings.endpoint_url;
  // The loader gives `[services X]` as `services.X`, its nested keys as `<service>.endpoint_url`.
  const services = settings.services ? configFile[`services.${settings.services}`] : undefined;
  for (const [key, value] of Object.entries(services ?? {})) {
    const service = /^(.+)\.endpoint_url$/.exec(key)?.[1];
    if (service && value) variables[`AWS_ENDPOINT_URL_${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = value;
  }
  return variables;
}
