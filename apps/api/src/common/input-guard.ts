/**
 * The edge of the API for text and shape: an Express middleware right after the body parser, in
 * front of guards, interceptors, pipes and handlers. Every string of a request (JSON keys and
 * values, query parameters, path segments) must be text every layer below accepts
 * (libs/domain/src/text.ts); JSON may nest at most MAX_JSON_DEPTH levels and hold finite numbers
 * only. Anything else is a 400 problem naming each bad field, before anything runs, so a refused
 * request changes nothing. Accepted strings in the body are normalized to NFC in place; two
 * property names that are the same once normalized are refused (which one would win?), and so are
 * the names JavaScript gives meaning to on every object.
 */
import type { NextFunction, Request, Response } from 'express';
import { MAX_JSON_DEPTH, normalizeText, textProblem } from '@openccs/domain';
import { invalidRequest, type FieldError } from './problem';

/** How many problems one response lists at most (a hostile body could have thousands). */
const MAX_REPORTED = 20;
/** Names no OpenCCS body uses, and that code reading the object could mistake for its own. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function inputGuard(req: Request, _res: Response, next: NextFunction): void {
  const errors: FieldError[] = [];
  const path = (req.originalUrl ?? req.url ?? '').split('?', 1)[0] ?? '';
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      errors.push({
        field: 'path',
        message: `path segment "${segment.slice(0, 40)}" is not valid percent-encoding`,
      });
      continue;
    }
    const problem = textProblem(decoded);
    if (problem) errors.push({ field: 'path', message: `a path segment ${problem}` });
  }
  const query = (req.originalUrl ?? '').split('?').slice(1).join('?');
  if (query) {
    for (const [name, value] of new URLSearchParams(query)) {
      const problem = textProblem(name) ?? textProblem(value);
      if (problem) errors.push({ field: textProblem(name) ? 'query' : name, message: `${name} ${problem}` });
    }
  }
  if (req.body !== undefined && req.body !== null && typeof req.body === 'object') {
    req.body = inspect(req.body, '', 1, errors) as unknown;
  }
  if (errors.length > 0) {
    next(invalidRequest(errors.slice(0, MAX_REPORTED)));
    return;
  }
  next();
}

/** Checks a parsed JSON value; returns it with every string (keys too) in NFC. */
export function inspect(value: unknown, at: string, depth: number, errors: FieldError[]): unknown {
  if (errors.length >= MAX_REPORTED) return value;
  const field = at || 'body';
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) errors.push({ field, message: `${field} ${problem}` });
    // Passwords are compared as they were set, byte for byte.
    return problem || /password$/i.test(at) ? value : normalizeText(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) errors.push({ field, message: `${field} must be a finite number` });
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_JSON_DEPTH) {
    errors.push({ field, message: `${field} nests deeper than ${MAX_JSON_DEPTH} levels` });
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => inspect(item, `${at}[${i}]`, depth + 1, errors));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const problem = textProblem(key);
    const child = at ? `${at}.${key}` : key;
    if (problem) {
      errors.push({ field: at || 'body', message: `a property name ${problem}` });
      continue;
    }
    const name = normalizeText(key);
    if (RESERVED_KEYS.has(name)) {
      errors.push({ field: at || 'body', message: `the property name "${name}" is not allowed` });
      continue;
    }
    if (Object.hasOwn(out, name)) {
      errors.push({
        field: at || 'body',
        message: `the property name "${name}" appears twice once normalized to Unicode NFC`,
      });
      continue;
    }
    // defineProperty: whatever the name, it stays data, never the object's prototype.
    Object.defineProperty(out, name, {
      value: inspect(item, child, depth + 1, errors),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
