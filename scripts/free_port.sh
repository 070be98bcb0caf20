# Sourced by the scripts that start servers on loopback: free_port prints a TCP port on
# 127.0.0.1 that nothing listens on (servers that cannot bind port 0 themselves: PostgreSQL, nginx).
# The port is taken below the kernel's ephemeral range: a port in that range may be the local end
# of some outgoing connection, and a server binding 0.0.0.0 (PostgreSQL's listen_addresses = '*',
# as pg_auto_failover sets it) would then fail with "Address already in use".
free_port() {
  local port lowest_ephemeral
  lowest_ephemeral=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$lowest_ephemeral" -gt 11000 ] || lowest_ephemeral=32768
  while true; do
    port=$((10000 + RANDOM % (lowest_ephemeral - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}
