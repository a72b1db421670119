// Mulligan's gRPC API for TypeScript on Node.js: the generated messages and
// services (src/gen, from proto/) and a client of each service.

import { create } from "@bufbuild/protobuf";
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { ControlService } from "./gen/mulligan/control/v1/control_pb.js";
import { AuthenticateRequestSchema, IamService, type AuthenticateResponse } from "./gen/mulligan/iam/v1/iam_pb.js";
import { MetaService } from "./gen/mulligan/meta/v1/meta_pb.js";
import { ResourceService } from "./gen/mulligan/resource/v1/resource_pb.js";
import { createTransport, type TransportOptions } from "./transport.js";

export * as control from "./gen/mulligan/control/v1/control_pb.js";
export * as iam from "./gen/mulligan/iam/v1/iam_pb.js";
export * as meta from "./gen/mulligan/meta/v1/meta_pb.js";
export * as resource from "./gen/mulligan/resource/v1/resource_pb.js";
export { describe, reasonOf } from "./errors.js";
export { bearer, createTransport, DEFAULT_ENDPOINT, normalizeEndpoint, type TransportOptions } from "./transport.js";

export interface Mulligan {
  iam: Client<typeof IamService>;
  meta: Client<typeof MetaService>;
  resource: Client<typeof ResourceService>;
  control: Client<typeof ControlService>;
}

export function clients(transport: Transport): Mulligan {
  return {
    iam: createClient(IamService, transport),
    meta: createClient(MetaService, transport),
    resource: createClient(ResourceService, transport),
    control: createClient(ControlService, transport),
  };
}

export interface PasswordLogin {
  /** Login name or account id. */
  account: string;
  password: string;
  /** Project name or id the token is for; "" for a token without one. */
  project?: string;
}

/**
 * Authenticate with a password, then a client of every service that sends
 * the token it got. Options other than the token apply to both.
 */
export async function login(
  login: PasswordLogin,
  options: Omit<TransportOptions, "token"> = {},
): Promise<{ session: AuthenticateResponse; mulligan: Mulligan }> {
  const anonymous = clients(createTransport(options));
  const session = await anonymous.iam.authenticate(
    create(AuthenticateRequestSchema, {
      credentials: {
        case: "password",
        value: { account: login.account, password: login.password, project: login.project ?? "" },
      },
    }),
  );
  return { session, mulligan: clients(createTransport({ ...options, token: session.token })) };
}
