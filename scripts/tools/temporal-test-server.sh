#!/usr/bin/env bash
# Temporal's time-skipping test server (Java) from Maven Central, with a wrapper
# script the TypeScript SDK can start as an 'existing-path' executable. The SDK
# passes only the port and drives time skipping itself through the test service
# (so no --enable-time-skipping: that flag skips time even while a worker is busy
# and makes workflows time out).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version="$(tool_version temporalTestServer)"
home="$LP_CACHE/temporal-test-server/$version"
dest="$home/temporal-test-server"

build() {
  [ -x "$dest" ] && return 0
  need java "install a Java runtime 11 or newer ('apt-get install openjdk-17-jre-headless')"
  need mvn "install Maven ('apt-get install maven')"
  say "fetching io.temporal:temporal-test-server:$version and its dependencies from Maven Central"
  local work
  work="$(mktemp -d)"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lp-infra</groupId>
  <artifactId>temporal-test-server-bundle</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
</project>
POM
  mvn -q -B -Dstyle.color=never -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/lib"
  mkdir -p "$home"
  rm -rf "$home/lib"
  mv "$work/lib" "$home/lib"
  rm -rf "$work"
  cat >"$dest.tmp" <<'WRAPPER'
#!/usr/bin/env bash
# Usage: temporal-test-server <port> — Temporal's Java test server (time skipping driven by the SDK).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java ${LP_INFRA_TEST_SERVER_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC} -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
WRAPPER
  chmod +x "$dest.tmp"
  mv "$dest.tmp" "$dest"
}

with_lock temporal-test-server build
echo "$dest"
