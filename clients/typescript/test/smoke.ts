// Signs in to a running mulligand with a password, lists every machine the
// token may see, and prints them as one JSON object on stdout.
//
// Environment: MULLIGAN_ENDPOINT (HOST:PORT), MULLIGAN_ACCOUNT,
// MULLIGAN_PASSWORD, MULLIGAN_PROJECT (optional), MULLIGAN_CA_FILE,
// MULLIGAN_CERT_FILE and MULLIGAN_KEY_FILE (optional, for TLS), and
// MULLIGAN_EXPECT_MACHINE: a machine name the list must hold.
//
// Exit status: 0 for a sensible answer, 1 for a failed call, 2 for missing
// settings, 3 for an answer that is not what was expected.

import { control, describe, login, type Mulligan } from "../src/index.js";

const PAGE_SIZE = 100;

interface MachineLine {
  id: string;
  name: string;
  state: string;
  project_id: string;
  host_id: string;
}

class Unexpected extends Error {}

function setting(name: string, required: boolean): string | undefined {
  const value = process.env[name];
  if (required && !value) {
    process.stderr.write(`error: ${name} is not set\n`);
    process.exit(2);
  }
  return value || undefined;
}

async function listMachines(mulligan: Mulligan): Promise<MachineLine[]> {
  const machines: MachineLine[] = [];
  let pageToken = "";
  do {
    const page = await mulligan.control.listMachines({ pageSize: PAGE_SIZE, pageToken });
    for (const machine of page.machines) {
      machines.push({
        id: machine.id,
        name: machine.name,
        state: control.MachineState[machine.state] ?? String(machine.state),
        project_id: machine.projectId,
        host_id: machine.hostId,
      });
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return machines;
}

function check(machines: MachineLine[], expected: string | undefined): void {
  for (const machine of machines) {
    if (!machine.id || !machine.name) {
      throw new Unexpected(`a machine without an id or a name: ${JSON.stringify(machine)}`);
    }
  }
  if (new Set(machines.map((m) => m.id)).size !== machines.length) {
    throw new Unexpected("the same machine came back twice");
  }
  if (expected !== undefined && !machines.some((m) => m.name === expected)) {
    throw new Unexpected(`machine ${JSON.stringify(expected)} is not among the ${machines.length} listed`);
  }
}

async function main(): Promise<number> {
  const account = setting("MULLIGAN_ACCOUNT", true) as string;
  const password = setting("MULLIGAN_PASSWORD", true) as string;
  const options = {
    endpoint: setting("MULLIGAN_ENDPOINT", false),
    caFile: setting("MULLIGAN_CA_FILE", false),
    certFile: setting("MULLIGAN_CERT_FILE", false),
    keyFile: setting("MULLIGAN_KEY_FILE", false),
  };
  try {
    const { session, mulligan } = await login(
      { account, password, project: setting("MULLIGAN_PROJECT", false) },
      options,
    );
    const machines = await listMachines(mulligan);
    check(machines, setting("MULLIGAN_EXPECT_MACHINE", false));
    const answer = { account_id: session.accountId, project_id: session.projectId, machines };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${describe(error)}\n`);
    return error instanceof Unexpected ? 3 : 1;
  }
}

process.exitCode = await main();
