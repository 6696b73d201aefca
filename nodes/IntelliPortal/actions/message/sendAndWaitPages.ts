/**
 * The pages a recipient sees after following a Send and Wait link: the approval's confirmation,
 * the Free Text form and "answer recorded". Self-contained HTML (no scripts, no external
 * resources), everything that comes from the workflow or the recipient escaped. A page shows the
 * message and the recipient's own answer, nothing else of the workflow (no node, workflow or
 * credential name, no n8n branding).
 */

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** Escaped text with its line breaks kept. */
function paragraphs(text: string): string {
	return escapeHtml(text).replace(/\r?\n/g, '<br>');
}

/**
 * Headers every page is sent with: no scripts or external resources can run in it, it cannot be
 * framed, the browser keeps no copy, and the signed link is not sent on as a Referer. (The page
 * n8n sends after resuming gets n8n's own sandbox Content-Security-Policy instead of ours.)
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
	'Content-Type': 'text/html; charset=utf-8',
	'Content-Security-Policy':
		"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	'Cache-Control': 'no-store',
	'Referrer-Policy': 'no-referrer',
	'X-Content-Type-Options': 'nosniff',
	'X-Frame-Options': 'DENY',
};

const STYLE = [
	'body{margin:0;background:#f5f6f8;color:#1f2328;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
	'main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d8dee4;border-radius:8px}',
	'h1{font-size:1.25rem;margin:0 0 .75rem}',
	'p{margin:0 0 1rem;overflow-wrap:anywhere}',
	'textarea{box-sizing:border-box;width:100%;min-height:8rem;padding:.5rem;font:inherit;border:1px solid #afb8c1;border-radius:6px}',
	'button{margin-top:1rem;padding:.6rem 1.5rem;font:inherit;font-weight:600;color:#fff;background:#1f6feb;border:0;border-radius:6px;cursor:pointer}',
	'.error{color:#cf222e}',
	'.answer{padding:.75rem;background:#f6f8fa;border-radius:6px}',
].join('');

function page(title: string, body: string): string {
	return [
		'<!DOCTYPE html>',
		'<html lang="en"><head><meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		'<meta name="robots" content="noindex, nofollow">',
		`<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
		`<body><main>${body}</main></body></html>`,
	].join('');
}

/** Name of the Free Text form's text box (the POST body field). */
export const RESPONSE_FIELD = 'response';

/** The Free Text form: the message, a text box, a submit button; posts to the same signed URL. */
export function responseFormPage(input: {
	title: string;
	message: string;
	buttonLabel: string;
	/** The recipient's previous input and what was wrong with it (shown again, escaped). */
	error?: { text: string; problem: string };
}): string {
	const title = input.title.trim() === '' ? 'Your response' : input.title;
	const parts = [`<h1>${escapeHtml(title)}</h1>`];
	if (input.message.trim() !== '') parts.push(`<p>${paragraphs(input.message)}</p>`);
	if (input.error)
		parts.push(`<p class="error" role="alert">${escapeHtml(input.error.problem)}</p>`);
	// No action attribute: the browser posts to this page's own URL, signature included.
	parts.push(
		'<form method="post">',
		`<label for="${RESPONSE_FIELD}">Response</label>`,
		`<textarea id="${RESPONSE_FIELD}" name="${RESPONSE_FIELD}" required>${escapeHtml(input.error?.text ?? '')}</textarea>`,
		`<button type="submit">${escapeHtml(input.buttonLabel)}</button>`,
		'</form>',
	);
	return page(title, parts.join(''));
}

/** After an answer was taken: what was recorded, in the recipient's or the workflow's words. */
export function answerRecordedPage(answer: string): string {
	return page(
		'Response recorded',
		[
			'<h1>Got it, thanks</h1>',
			'<p>Your response was recorded:</p>',
			`<p class="answer">${paragraphs(answer)}</p>`,
			'<p>You can close this page now.</p>',
		].join(''),
	);
}

/**
 * What opening an approval link shows: the message and the answer the button gives. Only the
 * button's POST answers, so a program that fetches the link (a preview, a mail scanner) answers
 * nothing.
 */
export function confirmAnswerPage(input: { message: string; label: string }): string {
	const parts = ['<h1>Confirm your answer</h1>'];
	if (input.message.trim() !== '') parts.push(`<p>${paragraphs(input.message)}</p>`);
	parts.push(
		`<p>Your answer: <strong>${escapeHtml(input.label)}</strong></p>`,
		// No action attribute: the browser posts to this page's own URL, signature included.
		'<form method="post">',
		`<button type="submit">${escapeHtml(input.label)}</button>`,
		'</form>',
	);
	return page('Confirm your answer', parts.join(''));
}

/** A link that this node cannot answer (a hand-edited workflow, a link of another kind). */
export function noActionPage(): string {
	return page('No action required', '<h1>No action required</h1>');
}
