export * from './topic.reader';
