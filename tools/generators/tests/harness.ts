// Shared by the TypeScript behavioural tests of issue #10 (copied next to each
// generated client by tools/generators/run.py). One line per check:
// `ok NAME` or `FAIL NAME: why`.
export const BASE: string = process.env.TRILLET_BASE_URL ?? "http://127.0.0.1:8099";

export async function lastBody(): Promise<unknown> {
  const r = await fetch(BASE + "/__last");
  return ((await r.json()) as { body: unknown }).body;
}

export async function check(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    console.log(`FAIL ${name}: ${msg.replace(/\s+/g, " ").slice(0, 500)}`);
  }
}

export function assert(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

/** Sends a request; a decoding error of the answer is another check's business. */
export async function send(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch {
    /* ignored */
  }
}

export async function sentExactly(expected: unknown): Promise<void> {
  const got = await lastBody();
  assert(JSON.stringify(got) === JSON.stringify(expected),
    `server received ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}

export function listOf(value: unknown, n: number): void {
  assert(Array.isArray(value), `decoded as ${JSON.stringify(value).slice(0, 200)}, not an array`);
  assert((value as unknown[]).length === n, `${(value as unknown[]).length} items, expected ${n}`);
}
