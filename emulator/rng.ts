/** Small deterministic PRNG (mulberry32) so fault injection and jitter are reproducible from a seed. */
export type Rng = () => number;

export function createRng(seed: number): Rng {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Random lowercase hex id body of `length` characters from the given RNG. */
export function randomHex(rng: Rng, length: number): string {
	let out = '';
	while (out.length < length) out += Math.floor(rng() * 16).toString(16);
	return out;
}
