# Sourced by the scripts that start servers on loopback: free_port prints a TCP port on
# 127.0.0.1 that nothing listens on (servers that cannot bind port 0 themselves: PostgreSQL, nginx).
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}
