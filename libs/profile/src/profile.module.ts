/** The deployment profile as a Nest provider: loaded once by each process, injected where rules need it. */
import { Global, Inject, Module, type DynamicModule } from '@nestjs/common';
import type { Profile } from './profile';

export const PROFILE = Symbol('openccs:profile');
export const InjectProfile = () => Inject(PROFILE);

@Global()
@Module({})
export class ProfileModule {
  static forRoot(profile: Profile): DynamicModule {
    return {
      module: ProfileModule,
      providers: [{ provide: PROFILE, useValue: profile }],
      exports: [PROFILE],
    };
  }
}
