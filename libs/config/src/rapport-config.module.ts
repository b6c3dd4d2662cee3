import { Global, Module, type DynamicModule } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from './rapport.config';

@Global()
@Module({})
export class RapportConfigModule {
  static forRoot(config: RapportConfig): DynamicModule {
    return {
      module: RapportConfigModule,
      providers: [{ provide: RAPPORT_CONFIG, useValue: config }],
      exports: [RAPPORT_CONFIG],
    };
  }
}
