import { loadProfile } from '@openccs/profile';
import { ConsistencyQuery, PublicProjectsQuery, RecordsQuery } from '../public/public.dto';
import { CreateProjectRequest, Money, ProjectLocation } from '../projects/projects.dto';
import { DecisionRequest } from '../reports/reports.dto';
import { ProblemException } from './problem';
import { createValidationPipe } from './validation.pipe';

const pipe = createValidationPipe(loadProfile('seoul'));

/** What the pipe answers for one value: the errors of its problem, or 'accepted'. */
async function answer(
  type: 'query' | 'body',
  metatype: new () => object,
  value: Record<string, unknown>,
): Promise<unknown> {
  try {
    await pipe.transform(value, { type, metatype });
    return 'accepted';
  } catch (err) {
    if (err instanceof ProblemException) return err.problem.errors;
    throw err;
  }
}

// The pipe names the first rule a field breaks; a value of the wrong kind breaks its type first.
describe('a value of the wrong kind is named for its kind, not its range or length', () => {
  it.each([
    [PublicProjectsQuery, { limit: 'zz' }, 'limit must be an integer number'],
    [PublicProjectsQuery, { limit: '1.5' }, 'limit must be an integer number'],
    [PublicProjectsQuery, { limit: '0' }, 'limit must not be less than 1'],
    [PublicProjectsQuery, { limit: '201' }, 'limit must not be greater than 200'],
    [RecordsQuery, { after: 'abc' }, 'after must be a sequence number'],
    [RecordsQuery, { after: '-1' }, 'after must be a sequence number'],
    [RecordsQuery, { limit: 'abc' }, 'limit must be an integer number'],
    [ConsistencyQuery, { from: 'x' }, 'from must be a tree size'],
  ] as const)('%p %j', async (type, query, message) => {
    const field = Object.keys(query)[0];
    expect(await answer('query', type, query)).toEqual([{ field, message }]);
  });

  it.each([
    [Money, { value: 'abc', currency: 'KRW' }, 'value', /^value must be a number/],
    [Money, { value: -5, currency: 'KRW' }, 'value', /^value must not be less than 0$/],
    [ProjectLocation, { lat: 'north', lon: 126.9 }, 'lat', /^lat must be a number$/],
    [ProjectLocation, { lat: 37.5, lon: 'east' }, 'lon', /^lon must be a number$/],
    [ProjectLocation, { lat: 95, lon: 126.9 }, 'lat', /^lat must not be greater than 90$/],
  ] as const)('%p %j', async (type, body, field, message) => {
    const errors = (await answer('body', type, body)) as Array<{ field: string; message: string }>;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe(field);
    expect(errors[0]?.message).toMatch(message);
  });

  it.each([
    ['body', DecisionRequest, { action: 'approve', comment: 5 }, 'comment', 'comment must be a string'],
    ['body', ProjectLocation, { address: 5 }, 'address', 'address must be a string'],
    ['body', ProjectLocation, { address: ' ' }, 'address', 'address must not be blank'],
    ['query', PublicProjectsQuery, { q: ['a', 'b'] }, 'q', 'q must be a string'],
  ] as const)('%s %p %j', async (kind, type, value, field, message) => {
    expect(await answer(kind, type, value)).toEqual([{ field, message }]);
  });

  it('bounds a text before matching its pattern, and names each date and coordinate rule', async () => {
    const of = async (type: new () => object, value: Record<string, unknown>, field: string) =>
      ((await answer('body', type, value)) as Array<{ field: string; message: string }>).filter(
        (e) => e.field === field,
      );
    expect(await of(ProjectLocation, { address: ' '.repeat(301) }, 'address')).toEqual([
      { field: 'address', message: 'address must be shorter than or equal to 300 characters' },
    ]);
    expect(await of(CreateProjectRequest, { endDate: 20270630 }, 'endDate')).toEqual([
      { field: 'endDate', message: 'endDate must be a date YYYY-MM-DD from 1900 to 2199' },
    ]);
    expect(await of(CreateProjectRequest, { endDate: '2027-02-30' }, 'endDate')).toEqual([
      { field: 'endDate', message: 'endDate must be a valid calendar date' },
    ]);
    expect(
      await of(CreateProjectRequest, { startDate: '2027-06-30', endDate: '2027-01-01' }, 'endDate'),
    ).toEqual([{ field: 'endDate', message: 'endDate must not be before startDate' }]);
    expect(await of(ProjectLocation, { lat: 37.5 }, 'lat')).toEqual([
      { field: 'lat', message: 'give lat and lon together' },
    ]);
  });

  it('still accepts what is right', async () => {
    expect(await answer('query', PublicProjectsQuery, { limit: '50' })).toBe('accepted');
    expect(await answer('body', ProjectLocation, { lat: 37.5, lon: 126.9 })).toBe('accepted');
  });
});
