// The AWS profiles of this machine as the AWS CLI sees them (~/.aws/config and credentials,
// or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE), read by AWS's own shared-config loader:
// for the sidebar's profile picker and a profile's default region. Never their secrets.

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
