import './register-aliases';
import 'reflect-metadata';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startTestStack } from './test-stack';

export default async function globalSetup(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await startTestStack();
  // Test workers are started after this and inherit these.
  Object.assign(process.env, stack.env);
  (globalThis as { __OPENCCS_TEST_STACK__?: typeof stack }).__OPENCCS_TEST_STACK__ = stack;
}
