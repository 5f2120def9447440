import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source';
import { REPOSITORIES } from './repositories';

/** The database connection and every repository, for the API and the worker alike. */
@Module({})
export class PersistenceModule {
  static forRoot(databaseUrl: string, applicationName: string): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl, applicationName), retryAttempts: 3 }),
      ],
      providers: REPOSITORIES,
      exports: REPOSITORIES,
    };
  }
}
