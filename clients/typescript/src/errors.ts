// mulligand puts the reason code of a failed call (NOT_FOUND, UNAUTHENTICATED,
// ...) in a google.rpc.ErrorInfo detail; the gRPC status code alone is coarser.

import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { ConnectError } from "@connectrpc/connect";

const ERROR_INFO = "google.rpc.ErrorInfo";

/** The Mulligan reason of a failed call, or "" when it carries none. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof ConnectError)) {
    return "";
  }
  for (const detail of error.details) {
    if ("type" in detail && detail.type === ERROR_INFO && "value" in detail && detail.value instanceof Uint8Array) {
      return errorInfoReason(detail.value);
    }
  }
  return "";
}

// ErrorInfo's schema is not among protobuf-es's well-known types; its
// reason is field 1, a string, which is all this client reads.
function errorInfoReason(bytes: Uint8Array): string {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) {
      return reader.string();
    }
    reader.skip(wireType);
  }
  return "";
}

/** One line for a person: the message and, when known, the reason. */
export function describe(error: unknown): string {
  if (error instanceof ConnectError) {
    const reason = reasonOf(error);
    return reason ? `${error.rawMessage} (${reason})` : error.rawMessage;
  }
  return error instanceof Error ? error.message : String(error);
}
