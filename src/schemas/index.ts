export * from './limits.ts';
export * from './errors.ts';
export * from './common.ts';
export * from './newsletter.ts';
export * from './petition.ts';
export * from './webinar.ts';
export * from './story.ts';
