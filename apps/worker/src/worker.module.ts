import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '@openccs/config';
import { PersistenceModule } from '@openccs/persistence';
import { ACTIVITY_PROVIDERS } from '@openccs/activities';

/** The worker's dependency graph: configuration, the database, and the activity implementations. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        PersistenceModule.forRoot(config.databaseUrl ?? '', 'openccs-worker'),
      ],
      providers: ACTIVITY_PROVIDERS,
    };
  }
}
