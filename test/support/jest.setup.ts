import 'reflect-metadata';
import { Logger } from '@nestjs/common';

// Nest's logger prints to stdout in every test otherwise; RAPPORT_TEST_LOGS=1 shows it.
if (!process.env.RAPPORT_TEST_LOGS) Logger.overrideLogger(false);
