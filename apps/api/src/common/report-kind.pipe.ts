/**
 * A report kind in a path or query: one of the deployment profile's kinds, else a 400 naming the
 * parameter and the kinds there are (GET /public/v1/profile lists them with their rules).
 */
import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { InjectProfile, kindProblem, type Profile } from '@openccs/profile';
import { invalidRequest } from './problem';

@Injectable()
export class ReportKindPipe implements PipeTransform<unknown, string> {
  constructor(@InjectProfile() private readonly profile: Profile) {}

  transform(value: unknown, metadata: ArgumentMetadata): string {
    const problem = kindProblem(this.profile, metadata.data ?? 'kind', value);
    if (!problem) return value as string;
    throw invalidRequest([problem], `${problem.message}.`);
  }
}
