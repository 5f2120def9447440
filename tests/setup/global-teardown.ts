import type { TestStack } from './test-stack';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __OPENCCS_TEST_STACK__?: TestStack }).__OPENCCS_TEST_STACK__?.stop();
}
