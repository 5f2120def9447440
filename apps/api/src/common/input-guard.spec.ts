import type { FieldError } from './problem';
import { inspect } from './input-guard';

describe('inspect: the shape of a request body', () => {
  const check = (body: unknown) => {
    const errors: FieldError[] = [];
    const value = inspect(JSON.parse(JSON.stringify(body)) as unknown, '', 1, errors);
    return { value, errors };
  };

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the property name %s', (name) => {
    const { errors } = check(JSON.parse(`{"body":{"${name}":{"polluted":true}}}`));
    expect(errors).toEqual([{ field: 'body', message: `the property name "${name}" is not allowed` }]);
  });

  it('refuses two property names that are one once normalized to NFC', () => {
    // "é" precomposed and "e" + combining acute.
    const { errors } = check({ body: { 'caf\u00e9': 1, 'cafe\u0301': 2 } });
    expect(errors).toEqual([
      {
        field: 'body',
        message: 'the property name "caf\u00e9" appears twice once normalized to Unicode NFC',
      },
    ]);
  });

  it('normalizes names and values, and keeps passwords byte for byte', () => {
    const { value, errors } = check({ 'cafe\u0301': 'cafe\u0301', password: 'cafe\u0301' });
    expect(errors).toEqual([]);
    expect(value).toEqual({ 'caf\u00e9': 'caf\u00e9', password: 'cafe\u0301' });
  });
});
