export * from './channel/index.ts';
export * from './limits.ts';
export * from './marks.ts';
export * from './name.ts';
export * from './name-fold.ts';
export * from './signaling.ts';
