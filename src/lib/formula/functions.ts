// The formula whitelist lives with the sandbox core in the engine (src/engine/formula), so that
// the trainer's reward formulas (src/train/post/rewards.ts) use the same one.
export * from '../../engine/formula/functions.ts';
