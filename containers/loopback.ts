/** The part of Docker's HostConfig that publishes ports. */
interface PortBindingsConfig {
  PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[]>;
}

/**
 * Publishes every exposed port on 127.0.0.1 only (the lab's rule: test traffic stays on this machine). testcontainers
 * binds to every interface by default and has no option for the host address, so the binding is set just before start.
 */
export function publishOnLoopback(hostConfig: PortBindingsConfig): void {
  for (const bindings of Object.values(hostConfig.PortBindings ?? {})) {
    for (const binding of bindings) binding.HostIp = '127.0.0.1';
  }
}
