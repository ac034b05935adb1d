// Type-level test of openapi-typescript's output (issue #10): the request
// bodies the document itself calls minimal must type-check. Only compiled
// (tsc --noEmit), never run.
import type { components, operations } from "./schema";

type Schemas = components["schemas"];

// openapi/trillet.yaml, createAgent, example `minimal` ("Only the required fields").
export const minimalAgent: Schemas["AgentCreate"] = {
  name: "Front Desk",
  ttsModel: { provider: "openai" },
  llmModel: "gpt-4o-mini",
};

// A new call flow with its required fields only.
export const minimalCallFlow: Schemas["CallFlowCreate"] = { name: "Reception", direction: "outbound", promptType: "simple" };

// Partial updates: one field.
export const rename: Schemas["AgentUpdate"] = { name: "Night Shift" };
export const renameFlow: Schemas["CallFlowUpdate"] = { name: "Reception" };

// listBatchCalls with no paging parameters (they have server defaults).
export const noPaging: operations["listBatchCalls"]["parameters"] = { path: { batchId: "b1" } };
