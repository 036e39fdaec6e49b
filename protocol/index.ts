export * from './channel.ts';
export * from './limits.ts';
export * from './name.ts';
export * from './signaling.ts';
