// Behavioural test of openapi-typescript types with the openapi-fetch runtime (issue #10).
import createClient from "openapi-fetch";
import type { paths } from "./schema";
import { assert, BASE, check, listOf, send, sentExactly } from "./harness";

const client = createClient<paths>({ baseUrl: BASE, headers: { "x-api-key": "k", "x-workspace-id": "w" } });

async function main(): Promise<void> {
  await check("partial-update-agent", async () => {
    await send(() => client.PUT("/v1/api/agents/{agentId}", { params: { path: { agentId: "a1" } }, body: { name: "Night Shift" } }));
    await sentExactly({ name: "Night Shift" });
  });
  await check("partial-update-call-flow", async () => {
    await send(() => client.PUT("/v1/api/call-flows/{flowId}", { params: { path: { flowId: "f1" } }, body: { name: "Reception" } }));
    await sentExactly({ name: "Reception" });
  });
  await check("decode-unknown-agent", async () => {
    const { data } = await client.GET("/v1/api/agents/{agentId}", { params: { path: { agentId: "a1" } } });
    assert(data?.status === "hibernating", `status ${JSON.stringify(data?.status)}`);
  });
  await check("decode-unknown-call-flow", async () => {
    const { data } = await client.GET("/v1/api/call-flows/{flowId}", { params: { path: { flowId: "f1" } } });
    assert(data?.direction === "sideways", `direction ${JSON.stringify(data?.direction)}`);
  });
  await check("list-workspaces", async () => listOf((await client.GET("/v1/api/workspaces")).data, 2));
  await check("list-phone-numbers", async () => listOf((await client.GET("/v1/api/twilio/user-phone-numbers")).data, 2));
}

main();
