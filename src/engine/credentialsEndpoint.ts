// How a custom runtime gets temporary AWS credentials: its process's variables are fixed when
// it starts, so, as Lambda does where it cannot fix them at start (SnapStart), it gets
// Lambda's container credentials endpoint on the Runtime API's address instead
// (environmentProcesses.ts, runtimeApiServer.ts). This is the line that says so.

import type { FunctionConfig } from '../config/functionConfig';

/** Logged once per function, at its first Init. */
export function credentialsEndpointNote(config: FunctionConfig): string {
  return `Credentials: ${config.name} runs a custom runtime (${config.runtime}), whose variables are fixed when it starts: its temporary AWS credentials come from AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN (as Lambda gives SnapStart functions), so the AWS SDK gets fresh ones when they near expiry; AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN are not set.`;
}
