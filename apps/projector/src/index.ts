/** What other apps (the platform) may use of the projector app. */
export { ProjectorModule } from './projector.module';
