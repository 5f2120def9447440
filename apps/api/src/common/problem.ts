/** RFC 9457 problem details: the one shape of every error the API returns. */
import { HttpException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldError {
  @ApiProperty({ example: 'kind', description: 'Path of the offending field in the request body or query.' })
  field!: string;

  @ApiProperty({ example: 'kind must be one of agency, contractor, supervisor, subcontractor' })
  message!: string;
}

export class Problem {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request body is invalid.' })
  detail!: string;

  @ApiPropertyOptional({ example: '/api/v1/organizations' })
  instance?: string;

  @ApiPropertyOptional({ description: 'Machine-readable reason.', example: 'validation_failed' })
  code?: string;

  @ApiPropertyOptional({ description: 'Correlation id of the request, also in the x-request-id header.' })
  requestId?: string;

  @ApiPropertyOptional({ type: [FieldError] })
  errors?: FieldError[];
}

export type ProblemBody = Omit<Problem, 'type' | 'title'> & Partial<Pick<Problem, 'type' | 'title'>>;

/** An HttpException whose response is already a problem body. */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemBody,
    /** Response headers that belong with this problem, e.g. Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem, problem.status);
  }
}
