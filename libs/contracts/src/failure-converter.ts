/**
 * The failure converter of every OpenCCS Temporal client and worker, workflow sandbox included:
 * error messages and stack traces go into an encoded payload (which the payload codec encrypts)
 * instead of the failure's clear-text fields. Exported by name: the worker loads it by path.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
