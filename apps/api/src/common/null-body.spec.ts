import { loadProfile } from '@openccs/profile';
import { ProblemException } from './problem';
import { createValidationPipe } from './validation.pipe';
import { ResubmitRequest } from '../reports/reports.dto';
import { UpdateProjectRequest } from '../projects/projects.dto';

describe('a body field sent as null', () => {
  const pipe = createValidationPipe(loadProfile('seoul'));
  it.each([
    ['ResubmitRequest', ResubmitRequest],
    ['UpdateProjectRequest', UpdateProjectRequest],
  ] as const)('is refused by name in a %s, whose fields are all optional', async (_, type) => {
    const refused = await pipe
      .transform({ title: null }, { type: 'body', metatype: type })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).problem.errors).toEqual([
      { field: 'title', message: 'title may be left out, but not sent as null' },
    ]);
  });
});
