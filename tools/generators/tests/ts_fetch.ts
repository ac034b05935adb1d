// Behavioural test of the openapi-generator `typescript-fetch` client (issue #10).
import { AgentsApi, CallFlowsApi, Configuration, PhoneNumbersApi, WorkspacesApi } from "./index";
import { assert, BASE, check, listOf, send, sentExactly } from "./harness";

const config = new Configuration({ basePath: BASE, apiKey: (name: string) => (name === "x-api-key" ? "k" : "w") });

async function main(): Promise<void> {
  await check("partial-update-agent", async () => {
    await send(() => new AgentsApi(config).updateAgent({ agentId: "a1", agentUpdate: { name: "Night Shift" } }));
    await sentExactly({ name: "Night Shift" });
  });
  await check("partial-update-call-flow", async () => {
    await send(() => new CallFlowsApi(config).updateCallFlow({ flowId: "f1", callFlowUpdate: { name: "Reception" } }));
    await sentExactly({ name: "Reception" });
  });
  await check("decode-unknown-agent", async () => {
    const agent = await new AgentsApi(config).getAgent({ agentId: "a1" });
    assert(agent.status === "hibernating", `status ${JSON.stringify(agent.status)}`);
  });
  await check("decode-unknown-call-flow", async () => {
    const flow = await new CallFlowsApi(config).getCallFlow({ flowId: "f1" });
    assert(flow.direction === "sideways", `direction ${JSON.stringify(flow.direction)}`);
  });
  await check("list-workspaces", async () => listOf(await new WorkspacesApi(config).listWorkspaces(), 2));
  await check("list-phone-numbers", async () => listOf(await new PhoneNumbersApi(config).listUserPhoneNumbers(), 2));
}

main();
