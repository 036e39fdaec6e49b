export * from './limits.ts';
export * from './name.ts';
export * from './signaling.ts';
export * from './channel.ts';
