/**
 * Runs in the page (passed to Playwright's `evaluate`): how an <img> icon looks against the node
 * box behind it. Draws the decoded image on a canvas, averages the relative luminance of its
 * opaque pixels and compares it with the nearest non-transparent background colour up the tree
 * (WCAG contrast ratio). Typed structurally: the test project has no DOM library.
 */

interface Pixels {
	data: ArrayLike<number>;
}
interface Canvas2d {
	fillStyle: string;
	drawImage(image: unknown, x: number, y: number): void;
	fillRect(x: number, y: number, w: number, h: number): void;
	getImageData(x: number, y: number, w: number, h: number): Pixels;
}
interface CanvasElement {
	width: number;
	height: number;
	getContext(kind: '2d'): Canvas2d | null;
}
interface Box {
	parentElement: Box | null;
}
interface IconImage extends Box {
	naturalWidth: number;
	naturalHeight: number;
	decode(): Promise<void>;
	ownerDocument: {
		createElement(tag: 'canvas'): CanvasElement;
		defaultView: { getComputedStyle(element: Box): { backgroundColor: string } } | null;
	};
}

export interface IconLook {
	width: number;
	opaquePixels: number;
	contrast: number;
}

export async function iconLook(img: IconImage): Promise<IconLook> {
	await img.decode();
	const doc = img.ownerDocument;
	const context = (width: number, height: number): Canvas2d => {
		const canvas = doc.createElement('canvas');
		canvas.width = width;
		canvas.height = height;
		const ctx = canvas.getContext('2d');
		if (!ctx) throw new Error('no 2d canvas');
		return ctx;
	};
	const linear = (c: number) => {
		const s = c / 255;
		return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
	};
	const luminance = (r: number, g: number, b: number) =>
		0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);

	const icon = context(img.naturalWidth, img.naturalHeight);
	icon.drawImage(img, 0, 0);
	const { data } = icon.getImageData(0, 0, img.naturalWidth, img.naturalHeight);
	let opaquePixels = 0;
	let sum = 0;
	for (let i = 0; i < data.length; i += 4) {
		if (data[i + 3] < 200) continue;
		opaquePixels++;
		sum += luminance(data[i], data[i + 1], data[i + 2]);
	}

	let box: Box | null = img;
	let background = 'rgba(0, 0, 0, 0)';
	while (box && /^(rgba\(0, 0, 0, 0\)|transparent)$/.test(background)) {
		box = box.parentElement;
		if (box) background = doc.defaultView?.getComputedStyle(box).backgroundColor ?? background;
	}
	// The browser converts any CSS colour (oklch, …) to RGB when it paints it.
	const probe = context(1, 1);
	probe.fillStyle = background;
	probe.fillRect(0, 0, 1, 1);
	const [r, g, b] = Array.from(probe.getImageData(0, 0, 1, 1).data);
	const iconLum = sum / Math.max(opaquePixels, 1);
	const bgLum = luminance(r, g, b);
	const contrast = (Math.max(iconLum, bgLum) + 0.05) / (Math.min(iconLum, bgLum) + 0.05);
	return { width: img.naturalWidth, opaquePixels, contrast };
}
