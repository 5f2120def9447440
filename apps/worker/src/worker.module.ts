import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '@openccs/config';
import { PersistenceModule } from '@openccs/persistence';
import { ACTIVITY_PROVIDERS } from '@openccs/activities';
import { ProfileModule, type Profile } from '@openccs/profile';

/** The worker's dependency graph: configuration, the profile, the database, and the activity implementations. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, profile: Profile): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        ProfileModule.forRoot(profile),
        PersistenceModule.forRoot(config.databaseUrl ?? '', 'openccs-worker'),
      ],
      providers: ACTIVITY_PROVIDERS,
    };
  }
}
