/** `secrets versions` and `NAME~N` follow the order versions were made in, also when the store's timestamps tie (whole seconds). */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AwsClients } from "../../scripts/aws/clients.ts";
import type { LocalAws } from "../../scripts/local-aws/index.ts";
import type { Stores } from "../../scripts/store/index.ts";
import { startLocalStores } from "../helpers/local-stores.ts";

let aws: LocalAws;
let clients: AwsClients;
let stores: Stores;

beforeAll(async () => {
  ({ aws, clients, stores } = await startLocalStores());
});
afterAll(async () => {
  clients.destroy();
  await aws.stop();
});

describe("version order with tied timestamps", () => {
  it("lists newest first and reads NAME~2 as the third newest", async () => {
    aws.quirks.wholeSecondTimes = true;
    // A clock that stands still (the endpoint runs in this process), so the four writes share one second however slow the machine.
    vi.useFakeTimers({ toFake: ["Date"] });
    const ids: string[] = [];
    let listed;
    try {
      for (const value of ["v1", "v2", "v3", "v4"]) ids.push((await stores.secretsmanager.write("/acme/order/s", value)).versionId);
      listed = await stores.secretsmanager.versions("/acme/order/s");
    } finally {
      vi.useRealTimers();
    }
    expect(new Set(listed.map((version) => version.created?.getTime())).size).toBe(1);
    expect(listed.map((version) => version.id)).toEqual([...ids].reverse());
    expect((await stores.secretsmanager.read("/acme/order/s", { back: 2 }))?.value).toBe("v2");
    expect((await stores.secretsmanager.read("/acme/order/s", { back: 3 }))?.value).toBe("v1");
  });
});
