/**
 * A minimal MCP client over Streamable HTTP, for the real-n8n tests of n8n's MCP Server Trigger:
 * the JSON-RPC POSTs an MCP host sends to start a session, list tools and call one (answers come
 * as JSON or as one server-sent event). Test-only.
 */

/** Starts a session (initialize + initialized); `request` sends one JSON-RPC request. */
export async function mcpSession(url: string) {
	let session: string | null = null;
	let nextId = 1;
	async function post(body: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
		const res = await fetch(url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				accept: 'application/json, text/event-stream',
				...(session ? { 'mcp-session-id': session } : {}),
			},
			body: JSON.stringify({ jsonrpc: '2.0', ...body }),
			signal: AbortSignal.timeout(30_000),
		});
		session ??= res.headers.get('mcp-session-id');
		const text = await res.text();
		if (res.status === 202) return undefined;
		if (res.status !== 200)
			throw new Error(`MCP ${String(body.method)}: HTTP ${res.status} ${text}`);
		const json = text.startsWith('{') ? text : /^data: (.*)$/m.exec(text)?.[1];
		return JSON.parse(json ?? 'null') as Record<string, unknown>;
	}
	const request = async (method: string, params: Record<string, unknown>) => {
		const answer = await post({ id: nextId++, method, params });
		if (!answer || answer.error) throw new Error(`MCP ${method}: ${JSON.stringify(answer)}`);
		return answer.result as Record<string, unknown>;
	};
	await request('initialize', {
		protocolVersion: '2025-03-26',
		capabilities: {},
		clientInfo: { name: 'intelliportal-hitl-test', version: '1.0.0' },
	});
	await post({ method: 'notifications/initialized' });
	return { request };
}
