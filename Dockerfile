# The scim-lab image: one CLI that runs `code42`, `pingone`, `up` or `conformance` (docs/cli.md),
# configured by SCIM_LAB_* environment variables (flags win over variables).
#
# Build it with scripts/build-image.sh: it compiles on the host, installs production dependencies
# into .docker-stage/app, and builds with no network. Everything here uses JSON-array forms only,
# so the same file builds on node:20-slim and on the shell-less base made from the host's node.
ARG BASE_IMAGE=node:20-slim
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="scim-lab" \
      org.opencontainers.image.description="Mock PingOne and mock Code42 over SCIM 2.0, and their conformance suites" \
      org.opencontainers.image.licenses="MIT"

# Inside a container the mocks must listen on every interface to be reachable through a published
# port or a network alias. Ports are fixed so that healthchecks, compose and testcontainers know them:
# code42 and pingone read SCIM_LAB_PORT; `up` reads one port per mock.
ENV NODE_ENV=production \
    SCIM_LAB_HOST=0.0.0.0 \
    SCIM_LAB_PORT=8080 \
    SCIM_LAB_CODE42_PORT=8080 \
    SCIM_LAB_PINGONE_PORT=8081

WORKDIR /app
# Owned by root and read-only for the runtime user; /data is the one writable folder (--state, reports).
COPY .docker-stage/app/ /app/
COPY --chown=10001:10001 .docker-stage/data/ /data/

# Numeric, so that no `useradd` (and no shell) is needed.
USER 10001:10001
EXPOSE 8080 8081

# Probes /__admin/health (docs/admin-api.md, no auth) on the ports of the command that PID 1 runs:
# the --port flags when given, otherwise SCIM_LAB_* variables. `up` has two mocks, so both are probed;
# commands that serve nothing (conformance, --help) are healthy as long as they run.
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const e=process.env;let a=[];try{a=require('fs').readFileSync('/proc/1/cmdline','utf8').split(String.fromCharCode(0))}catch{}const i=a.findIndex(x=>x.endsWith('scim-lab.js'));const cmd=i<0?'':a[i+1];const flag=(n,d)=>{const j=a.indexOf('--'+n);if(j>0)return a[j+1];const kv=a.find(x=>x.startsWith('--'+n+'='));return kv?kv.slice(n.length+3):d};const ports=cmd==='up'?[flag('code42-port',e.SCIM_LAB_CODE42_PORT),flag('pingone-port',e.SCIM_LAB_PINGONE_PORT)]:cmd==='code42'||cmd==='pingone'?[flag('port',e.SCIM_LAB_PORT)]:[];Promise.all(ports.map(p=>fetch('http://127.0.0.1:'+p+'/__admin/health',{signal:AbortSignal.timeout(2500)}).then(r=>{if(r.status!==200)throw new Error('health '+p+': '+r.status)}))).then(()=>process.exit(0),err=>{console.error(String(err));process.exit(1)})"]

ENTRYPOINT ["node", "/app/bin/scim-lab.js"]
CMD ["up"]
