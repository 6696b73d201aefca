/**
 * Following Send and Wait links the way a recipient's browser (or a mail scanner) does, for the
 * real-n8n tests: `openLink` makes one request; `answerApprovalLink` answers like a person, who
 * opens the link (GET: the confirmation page) and presses its button (POST of the page's form).
 */

/** A phone's Chrome: what a person's browser sends, and what Safe-Links-style scanners send too. */
export const CHROME_USER_AGENT =
	'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

export interface LinkPage {
	status: number;
	html: string;
	headers: Headers;
}

export interface OpenOptions {
	method?: 'GET' | 'POST';
	/** Sent as application/x-www-form-urlencoded (a POST without it sends an empty form). */
	form?: Record<string, string>;
	userAgent?: string;
}

/** One request to a link, without following redirects (n8n answers the link itself). */
export async function openLink(url: string, options: OpenOptions = {}): Promise<LinkPage> {
	const method = options.method ?? 'GET';
	const res = await fetch(url, {
		method,
		headers: {
			'user-agent': options.userAgent ?? CHROME_USER_AGENT,
			accept: 'text/html',
			...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
		},
		body: method === 'POST' ? new URLSearchParams(options.form ?? {}).toString() : undefined,
		redirect: 'manual',
		signal: AbortSignal.timeout(30_000),
	});
	return { status: res.status, html: await res.text(), headers: res.headers };
}

function attribute(tag: string, name: string): string | undefined {
	const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
	return match ? (match[2] ?? match[3]).replace(/&amp;/g, '&') : undefined;
}

/**
 * The page's one POST form, as a browser would submit it: its action resolved against the page's
 * URL (no action: the page's own URL, query and signature included) and its named inputs.
 */
export function postFormOf(
	pageUrl: string,
	html: string,
): { url: string; form: Record<string, string> } {
	const tag = /<form\b[^>]*>/i.exec(html)?.[0];
	if (!tag || attribute(tag, 'method')?.toLowerCase() !== 'post') {
		throw new Error(`the page has no <form method="post">: ${html.slice(0, 300)}`);
	}
	const action = attribute(tag, 'action');
	const url = action === undefined || action === '' ? pageUrl : new URL(action, pageUrl).toString();
	const form: Record<string, string> = {};
	for (const input of html.match(/<input\b[^>]*>/gi) ?? []) {
		const name = attribute(input, 'name');
		if (name !== undefined) form[name] = attribute(input, 'value') ?? '';
	}
	return { url, form };
}

/**
 * Answers an approval link like a person: opens it (the page says what will be confirmed) and
 * presses the page's button. Returns both pages; `answer` is what n8n sent after the POST.
 */
export async function answerApprovalLink(
	url: string,
	options: { userAgent?: string } = {},
): Promise<{ page: LinkPage; answer: LinkPage }> {
	const page = await openLink(url, { userAgent: options.userAgent });
	if (page.status !== 200) {
		throw new Error(
			`opening ${new URL(url).pathname} gave HTTP ${page.status}: ${page.html.slice(0, 300)}`,
		);
	}
	const submit = postFormOf(url, page.html);
	const answer = await openLink(submit.url, {
		method: 'POST',
		form: submit.form,
		userAgent: options.userAgent,
	});
	return { page, answer };
}
