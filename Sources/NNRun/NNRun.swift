// Placeholder so the target builds; replaced by the target's code.
